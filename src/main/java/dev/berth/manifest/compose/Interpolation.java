package dev.berth.manifest.compose;

import java.util.function.Function;

/**
 * Compose's variable substitution in one string: {@code $$} is a literal {@code $};
 * {@code $VAR} and {@code ${VAR}}; {@code ${VAR:-default}} (unset or empty) and
 * {@code ${VAR-default}} (unset); {@code ${VAR:?error}} and {@code ${VAR?error}} (a problem);
 * {@code ${VAR:+alt}} and {@code ${VAR+alt}}. Defaults may themselves hold substitutions.
 * An unset variable without a default is the empty string, as in Compose.
 */
final class Interpolation {
    private Interpolation() {}

    /** Thrown for {@code ${VAR:?error}} and for text that is not a substitution. */
    static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message);
        }
    }

    /** @param lookup a variable's value, or null when unset */
    static String apply(String s, Function<String, String> lookup) {
        if (s.indexOf('$') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
            } else if (i + 1 < s.length() && s.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (i + 1 < s.length() && s.charAt(i + 1) == '{') {
                int end = closing(s, i + 2);
                if (end < 0) {
                    throw new Failed("'" + s.substring(i) + "' has no closing '}' (write $$ for a literal $)");
                }
                out.append(braced(s.substring(i + 2, end), lookup));
                i = end + 1;
            } else {
                int j = i + 1;
                while (j < s.length() && isNameChar(s.charAt(j), j == i + 1)) {
                    j++;
                }
                if (j == i + 1) {
                    out.append('$'); // a lone $ is kept, as Compose keeps it
                    i++;
                } else {
                    String v = lookup.apply(s.substring(i + 1, j));
                    out.append(v == null ? "" : v);
                    i = j;
                }
            }
        }
        return out.toString();
    }

    private static String braced(String body, Function<String, String> lookup) {
        int j = 0;
        while (j < body.length() && isNameChar(body.charAt(j), j == 0)) {
            j++;
        }
        String name = body.substring(0, j);
        if (name.isEmpty()) {
            throw new Failed("'${" + body + "}' is not a variable name (write $$ for a literal $)");
        }
        String value = lookup.apply(name);
        if (j == body.length()) {
            return value == null ? "" : value;
        }
        boolean colon = body.charAt(j) == ':';
        int op = colon ? j + 1 : j;
        if (op >= body.length() || "-?+".indexOf(body.charAt(op)) < 0) {
            throw new Failed("'${" + body + "}' is not a substitution Compose knows (${VAR}, ${VAR:-default}, "
                    + "${VAR-default}, ${VAR:?error}, ${VAR:+alt})");
        }
        String arg = body.substring(op + 1);
        boolean set = value != null && !(colon && value.isEmpty());
        return switch (body.charAt(op)) {
            case '-' -> set ? value : apply(arg, lookup);
            case '+' -> set ? apply(arg, lookup) : "";
            default -> {
                if (!set) {
                    String why = apply(arg, lookup);
                    throw new Failed("variable " + name + " is " + (value == null ? "not set" : "empty")
                            + (why.isEmpty() ? "" : ": " + why));
                }
                yield value;
            }
        };
    }

    /** The index of the '}' that closes a '${' whose body starts at {@code from}, or -1. */
    private static int closing(String s, int from) {
        int depth = 1;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{' && s.charAt(i - 1) == '$') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || !first && c >= '0' && c <= '9';
    }
}
