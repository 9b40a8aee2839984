package dev.berth.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a multi-document YAML file into trees that remember line numbers. Jackson's tree model
 * drops locations, so the tree is built here from the token stream. Duplicate keys are an
 * error (YAML forbids them; silently taking the last one hides typos).
 */
public final class YamlReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private YamlReader() {}

    public static List<LocatedDocument> read(String file, String content) throws ManifestException {
        List<LocatedDocument> docs = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(content)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                int line = p.currentTokenLocation().getLineNr();
                Map<String, Integer> lines = new HashMap<>();
                JsonNode root = value(file, p, t, "", lines);
                if (!root.isNull()) {
                    docs.add(new LocatedDocument(file, root, line, Map.copyOf(lines)));
                }
            }
        } catch (IOException e) {
            int line = 0;
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null) {
                line = jpe.getLocation().getLineNr();
            }
            String msg = e.getMessage() == null ? e.toString() : String.join("; ", e.getMessage().lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("in '") && !l.startsWith("at [")
                            && !l.startsWith("^") && !l.startsWith("|"))
                    .limit(3).toList());
            throw new ManifestException(new Problem(file, Math.max(line, 0), "", "not valid YAML: " + msg));
        }
        return docs;
    }

    private static JsonNode value(String file, JsonParser p, JsonToken t, String ptr, Map<String, Integer> lines)
            throws IOException, ManifestException {
        lines.putIfAbsent(ptr, p.currentTokenLocation().getLineNr());
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    int line = p.currentTokenLocation().getLineNr();
                    String child = LocatedDocument.child(ptr, name);
                    if (o.has(name)) {
                        throw new ManifestException(new Problem(file, line, LocatedDocument.fieldOf(child),
                                "duplicate key '" + name + "'"));
                    }
                    lines.put(child, line);
                    o.set(name, value(file, p, p.nextToken(), child, lines));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                JsonToken e;
                int i = 0;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    a.add(value(file, p, e, ptr + "/" + i++, lines));
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
