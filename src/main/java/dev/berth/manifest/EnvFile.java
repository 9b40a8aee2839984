package dev.berth.manifest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Docker's env-file format: {@code KEY=VALUE} per line, {@code #} comments and blank lines
 * skipped, no quote processing except that one pair of surrounding quotes is removed (as
 * Compose does), {@code export } prefixes tolerated.
 */
public final class EnvFile {
    private EnvFile() {}

    public static Map<String, String> parse(String content) {
        Map<String, String> env = new LinkedHashMap<>();
        int n = 0;
        for (String raw : content.split("\r?\n", -1)) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("line " + n + " is not KEY=VALUE");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            env.put(key, value);
        }
        return env;
    }
}
