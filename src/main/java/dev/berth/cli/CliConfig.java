package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ~/.config/berth/config.yaml}, in kubectl's shape:
 * <pre>
 * current-context: prod
 * contexts:
 *   - name: prod
 *     server: https://berth.example.com:7070
 *     token-file: ~/.config/berth/prod.token
 *   - name: local
 *     server: http://127.0.0.1:7070
 *     token: s3cret
 * </pre>
 * A relative {@code token-file} is relative to the config file's directory. Any other key is
 * an error, so a misspelt one is never silently ignored.
 */
record CliConfig(Path file, String currentContext, List<Context> contexts) {

    record Context(String name, String server, String token, String tokenFile) {}

    /** {@code BERTH_CONFIG}, else {@code ~/.config/berth/config.yaml}. */
    static Path location(Io io) {
        String explicit = io.env("BERTH_CONFIG");
        return explicit != null ? Path.of(explicit) : io.home().resolve(".config/berth/config.yaml");
    }

    /** @return null when the file does not exist */
    static CliConfig read(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw bad(file, "cannot be read: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new CliConfig(file, null, List.of());
        }
        if (!root.isObject()) {
            throw bad(file, "must be a mapping with current-context and contexts");
        }
        root.fieldNames().forEachRemaining(k -> {
            if (!k.equals("current-context") && !k.equals("contexts")) {
                throw bad(file, "unknown key '" + k + "' (known: current-context, contexts)");
            }
        });
        List<Context> contexts = new ArrayList<>();
        JsonNode list = root.path("contexts");
        if (!list.isMissingNode() && !list.isArray()) {
            throw bad(file, "contexts must be a list");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode c = list.get(i);
            String where = "contexts[" + i + "]";
            if (!c.isObject()) {
                throw bad(file, where + " must be a mapping with name, server and token or token-file");
            }
            c.fieldNames().forEachRemaining(k -> {
                if (!List.of("name", "server", "token", "token-file").contains(k)) {
                    throw bad(file, where + ": unknown key '" + k + "' (known: name, server, token, token-file)");
                }
            });
            String name = text(c, "name");
            if (name == null) {
                throw bad(file, where + ": name is missing");
            }
            if (c.has("token") && c.has("token-file")) {
                throw bad(file, where + ": token and token-file are exclusive");
            }
            contexts.add(new Context(name, text(c, "server"), text(c, "token"), text(c, "token-file")));
        }
        return new CliConfig(file, text(root, "current-context"), List.copyOf(contexts));
    }

    /** The named context; null when name is null. */
    Context context(String name) {
        if (name == null) {
            return null;
        }
        return contexts.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() -> bad(file,
                "no context named '" + name + "' (contexts: "
                        + String.join(", ", contexts.stream().map(Context::name).toList()) + ")"));
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    static CliFailure bad(Path file, String why) {
        return new CliFailure(Exit.USAGE, "config file " + file + ": " + why);
    }
}
