package dev.berth.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * "Did you mean" for an unknown field, as kubectl and Compose offer it. The candidates are the
 * field names the schema allows at that place (read from the schema itself, so they cannot
 * drift). A candidate matches when, ignoring case, '-' and '_' (Compose's {@code depends_on}),
 * it is within a small Damerau-Levenshtein distance (typos, swapped letters), when one name
 * contains the other ({@code imagePullPolicy} → {@code pullPolicy}), or when it is the Berth
 * name of a well-known Kubernetes or Compose field ({@code environment} → {@code env}).
 */
public final class FieldHint {
    private static final JsonNode SCHEMA = load();
    /** Kubernetes and Compose names whose Berth name is not close in spelling. */
    private static final Map<String, String> SYNONYMS = Map.of(
            "environment", "env",
            "containerport", "targetPort",
            "hostport", "port",
            "livenessprobe", "healthcheck",
            "readinessprobe", "healthcheck",
            "stopgraceperiodseconds", "stopGracePeriod",
            "volumemounts", "volumes",
            "args", "command");

    private FieldHint() {}

    private static JsonNode load() {
        try (InputStream in = FieldHint.class.getResourceAsStream(SchemaCheck.RESOURCE)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param schemaPointer JSON pointer into Berth's manifest schema of the {@code additionalProperties}
     *                      keyword that refused the field, e.g. {@code /$defs/serviceSpec/additionalProperties}
     * @return the field the user probably meant, or null
     */
    static String suggest(String schemaPointer, String unknown) {
        return suggest(SCHEMA, schemaPointer, unknown, property -> true);
    }

    /**
     * The same on any JSON Schema: the candidates are the {@code properties} of the object whose
     * {@code additionalProperties} keyword ({@code schemaPointer}) refused {@code unknown}, those
     * whose subschema {@code candidate} accepts.
     *
     * @return the field the user probably meant, or null
     */
    public static String suggest(JsonNode schema, String schemaPointer, String unknown, Predicate<JsonNode> candidate) {
        String parent = schemaPointer.endsWith("/additionalProperties")
                ? schemaPointer.substring(0, schemaPointer.length() - "/additionalProperties".length()) : schemaPointer;
        List<String> known = new ArrayList<>();
        schema.at(parent).path("properties").fields().forEachRemaining(e -> {
            if (candidate.test(e.getValue())) {
                known.add(e.getKey());
            }
        });
        return suggest(known, unknown);
    }

    /** The one of {@code known} that {@code unknown} probably meant, or null. */
    public static String suggest(List<String> known, String unknown) {
        String u = normal(unknown);
        String synonym = SYNONYMS.get(u);
        if (synonym != null && known.contains(synonym)) {
            return synonym;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            String n = normal(k);
            int d = distance(u, n);
            int allowed = Math.min(n.length(), u.length()) <= 4 ? 1 : 2;
            boolean close = d <= allowed
                    || (n.length() >= 5 && u.contains(n)) || (u.length() >= 5 && n.contains(u));
            if (close && d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    private static String normal(String s) {
        return s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    /** Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps. */
    static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3 && !(a.contains(b) || b.contains(a))) {
            return Integer.MAX_VALUE / 2; // far apart; no need to fill the table (names can be long)
        }
        if (a.length() > 200 || b.length() > 200) {
            return Integer.MAX_VALUE / 2;
        }
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
