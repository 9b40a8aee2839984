package dev.berth.swarm;

import java.nio.file.Path;
import java.util.Map;

/**
 * The Swarm secret and config objects a service's files are, by name: what the caller got from
 * {@link SwarmNames#object} after reading each file (reading is I/O, so it is not done here).
 *
 * @param secrets by secret name as the manifest gives it ({@code db-password})
 * @param configs by config source path, absolute as {@code ConfigMount.source()} holds it
 */
public record FileObjects(Map<String, String> secrets, Map<Path, String> configs) {
    public static final FileObjects NONE = new FileObjects(Map.of(), Map.of());

    public FileObjects {
        secrets = Map.copyOf(secrets);
        configs = Map.copyOf(configs);
    }

    String secret(String name) {
        String object = secrets.get(name);
        if (object == null) {
            throw new IllegalArgumentException("no Swarm secret object given for secret '" + name + "'");
        }
        return object;
    }

    String config(Path source) {
        String object = configs.get(source);
        if (object == null) {
            throw new IllegalArgumentException("no Swarm config object given for config " + source);
        }
        return object;
    }
}
