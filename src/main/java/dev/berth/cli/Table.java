package dev.berth.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * kubectl's look: upper-case headers, columns left-aligned and separated by at least three
 * spaces, no borders, no trailing blanks. Cells are padded before they are coloured, so escape
 * codes never shift a column.
 */
final class Table {
    static final String GAP = "   ";

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    Table row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        List<String> r = new ArrayList<>();
        for (String c : cells) {
            r.add(c == null ? "" : c.replace('\n', ' '));
        }
        rows.add(r);
        return this;
    }

    String render() {
        return render((column, cell) -> cell);
    }

    /** @param style (column header, padded cell) to the cell as printed, e.g. coloured */
    String render(BiFunction<String, String, String> style) {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, headers, width, (h, c) -> c);
        for (List<String> r : rows) {
            line(b, r, width, style);
        }
        return b.toString();
    }

    private void line(StringBuilder b, List<String> cells, int[] width, BiFunction<String, String, String> style) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            boolean last = i == cells.size() - 1;
            String cell = last ? cells.get(i) : pad(cells.get(i), width[i]) + GAP;
            l.append(style.apply(headers.get(i), cell));
        }
        b.append(l.toString().stripTrailing()).append('\n');
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
