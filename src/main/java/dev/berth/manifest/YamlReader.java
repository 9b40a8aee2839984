package dev.berth.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a multi-document YAML file into trees that remember line numbers. Jackson's tree model
 * drops locations, so the tree is built here from the token stream. Duplicate keys are an
 * error (YAML forbids them; silently taking the last one hides typos).
 *
 * <p>Anchors and aliases work as YAML says: {@code *name} stands for the value anchored
 * {@code &name} earlier in the same document (Jackson alone would hand over the anchor's name
 * as a string). The expanded tree shares the anchored subtree, and its expanded size counts
 * against {@link ManifestLimits#MAX_NODES}, so an alias bomb stops at the limit instead of
 * exhausting memory in the validator. Nesting stops at {@link ManifestLimits#MAX_DEPTH}. Merge
 * keys ({@code <<: *defaults}) merge as YAML 1.1 defines them, as Compose and kubectl read them.
 */
public final class YamlReader {
    private static final YAMLFactory FACTORY = factory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String MERGE = "<<";
    /** A value's anchor {@code &name}, perhaps after a tag {@code !!str}. */
    private static final Pattern SCALAR_ANCHOR = Pattern.compile("(?:![^\\s]{0,100}[ \\t]+)?&([^\\s,\\[\\]{}]{1,1000})");

    private YamlReader() {}

    private static YAMLFactory factory() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(ManifestLimits.MAX_FILE_BYTES);
        options.setMaxAliasesForCollections(ManifestLimits.MAX_ALIASES);
        options.setNestingDepthLimit(ManifestLimits.MAX_DEPTH);
        // The builder starts with no YAML parser features; an empty document must stay null.
        return YAMLFactory.builder().loaderOptions(options).enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(ManifestLimits.MAX_DEPTH + 1)
                        .maxNumberLength(100)
                        .maxStringLength(ManifestLimits.MAX_FILE_BYTES)
                        .build())
                .build();
    }

    public static List<LocatedDocument> read(String file, String content) throws ManifestException {
        if (content.length() > ManifestLimits.MAX_FILE_BYTES) {
            throw new ManifestException(new Problem(file, 0, "", "the file is " + content.length()
                    + " characters; a manifest file may be at most " + ManifestLimits.MAX_FILE_BYTES + " bytes (1 MiB)"));
        }
        List<LocatedDocument> docs = new ArrayList<>();
        JsonParser[] open = {null};
        try (JsonParser p = FACTORY.createParser(content)) {
            open[0] = p;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                int line = p.currentTokenLocation().getLineNr();
                Map<String, Integer> lines = new HashMap<>();
                JsonNode root = new Document(file, content, (YAMLParser) p, lines).value(t, "", 1);
                if (!root.isNull()) {
                    docs.add(new LocatedDocument(file, root, line, Map.copyOf(lines)));
                }
            }
        } catch (IOException | RuntimeException e) {
            int line = 0;
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null) {
                line = jpe.getLocation().getLineNr();
            } else if (open[0] != null && open[0].currentLocation() != null) {
                line = open[0].currentLocation().getLineNr(); // Jackson's own limits carry no location
            }
            throw new ManifestException(new Problem(file, Math.max(line, 0), "", YamlErrors.reason(e)));
        }
        return docs;
    }

    /** The state of building one document: its anchors and how many values it has grown to. */
    private static final class Document {
        private final String file;
        private final String content;
        private final YAMLParser p;
        private final Map<String, Integer> lines;
        private final Map<String, Anchored> anchors = new HashMap<>();
        private long nodes;
        private int aliases;

        private record Anchored(JsonNode node, long size) {}

        Document(String file, String content, YAMLParser p, Map<String, Integer> lines) {
            this.file = file;
            this.content = content;
            this.p = p;
            this.lines = lines;
        }

        JsonNode value(JsonToken t, String ptr, int depth) throws IOException, ManifestException {
            int line = p.currentTokenLocation().getLineNr();
            lines.putIfAbsent(ptr, line);
            if (t == JsonToken.VALUE_STRING && p.isCurrentAlias()) {
                return alias(p.getText(), ptr, line);
            }
            String anchor = t.isScalarValue() ? scalarAnchor() : p.getObjectId();
            long before = nodes;
            JsonNode node = build(t, ptr, depth, line);
            if (anchor != null) {
                anchors.put(anchor, new Anchored(node, nodes - before));
            }
            return node;
        }

        /**
         * Jackson reports anchors on mappings and lists only, so the anchor of a single value
         * ({@code image: &img web:1}) is read from the source: a value's position is where its
         * properties (anchor, tag) begin.
         */
        private String scalarAnchor() {
            long at = p.currentTokenLocation().getCharOffset();
            if (at < 0 || at >= content.length()) {
                return null;
            }
            Matcher m = SCALAR_ANCHOR.matcher(content).region((int) at, Math.min(content.length(), (int) at + 1100));
            return m.lookingAt() ? m.group(1) : null;
        }

        private JsonNode alias(String name, String ptr, int line) throws ManifestException {
            Anchored a = anchors.get(name);
            if (a == null) {
                throw problem(line, ptr, "alias *" + name + " refers to no anchor &" + name + " before it in this document");
            }
            if (++aliases > ManifestLimits.MAX_ALIASES) {
                throw problem(line, ptr, "more than " + ManifestLimits.MAX_ALIASES + " aliases (*name) in one file");
            }
            count(a.size(), line, ptr);
            return a.node();
        }

        private void count(long more, int line, String ptr) throws ManifestException {
            nodes += more;
            if (nodes > ManifestLimits.MAX_NODES) {
                throw problem(line, ptr, "the document grows to more than " + ManifestLimits.MAX_NODES
                        + " values once its aliases are expanded (a YAML alias bomb?)");
            }
        }

        /**
         * YAML's merge key, as Compose and kubectl read it: {@code <<: *defaults} (or a list of
         * aliases) adds the keys of those mappings that the mapping does not set itself; of
         * several mappings, the first that sets a key wins. Merged keys are reported at the line of
         * {@code <<}.
         */
        private void merge(ObjectNode o, JsonNode merge, String ptr, int line) throws ManifestException {
            List<JsonNode> sources = new ArrayList<>();
            if (merge.isArray()) {
                merge.forEach(sources::add);
            } else {
                sources.add(merge);
            }
            for (JsonNode source : sources) {
                if (!source.isObject()) {
                    throw problem(line, LocatedDocument.child(ptr, MERGE),
                            "a merge key '<<' takes a mapping or a list of mappings (usually *alias)");
                }
                for (var it = source.fields(); it.hasNext(); ) {
                    var e = it.next();
                    if (!o.has(e.getKey())) {
                        o.set(e.getKey(), e.getValue());
                        lines.putIfAbsent(LocatedDocument.child(ptr, e.getKey()), line);
                    }
                }
            }
        }

        private ManifestException problem(int line, String ptr, String reason) {
            String field = LocatedDocument.fieldOf(ptr);
            // A problem at the nesting limit sits under a very long path; its start is enough.
            return new ManifestException(new Problem(file, line, field.length() > 80 ? field.substring(0, 80) + "\u2026" : field,
                    reason));
        }

        private JsonNode build(JsonToken t, String ptr, int depth, int line) throws IOException, ManifestException {
            count(1, line, ptr);
            if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) && depth > ManifestLimits.MAX_DEPTH) {
                throw problem(line, ptr, "nested more than " + ManifestLimits.MAX_DEPTH + " levels deep; manifests need far fewer");
            }
            switch (t) {
                case START_OBJECT -> {
                    ObjectNode o = NODES.objectNode();
                    JsonNode merge = null;
                    int mergeLine = line;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        int at = p.currentTokenLocation().getLineNr();
                        String child = LocatedDocument.child(ptr, name);
                        if (o.has(name) || name.equals(MERGE) && merge != null) {
                            throw problem(at, child, "duplicate key '" + name + "'");
                        }
                        if (name.equals(MERGE)) {
                            mergeLine = at;
                            merge = value(p.nextToken(), child, depth + 1);
                            lines.remove(child);
                            continue;
                        }
                        lines.put(child, at);
                        o.set(name, value(p.nextToken(), child, depth + 1));
                    }
                    if (merge != null) {
                        merge(o, merge, ptr, mergeLine);
                    }
                    return o;
                }
                case START_ARRAY -> {
                    ArrayNode a = NODES.arrayNode();
                    JsonToken e;
                    int i = 0;
                    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                        a.add(value(e, ptr + "/" + i++, depth + 1));
                    }
                    return a;
                }
                case VALUE_STRING -> {
                    return NODES.textNode(p.getText());
                }
                case VALUE_NUMBER_INT -> {
                    return NODES.numberNode(p.getBigIntegerValue());
                }
                case VALUE_NUMBER_FLOAT -> {
                    return NODES.numberNode(p.getDecimalValue());
                }
                case VALUE_TRUE -> {
                    return NODES.booleanNode(true);
                }
                case VALUE_FALSE -> {
                    return NODES.booleanNode(false);
                }
                case VALUE_NULL -> {
                    return NODES.nullNode();
                }
                default -> {
                    return NODES.textNode(p.getText());
                }
            }
        }
    }
}
