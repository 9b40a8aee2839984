package dev.berth.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command may touch of the world around it: its output streams, the environment and the
 * home directory. Passed in rather than read from {@code System} so tests run the CLI in-process
 * with an environment of their own.
 */
record Io(PrintWriter out, PrintWriter err, Map<String, String> env, Path home) {

    static Io system() {
        return new Io(new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv(),
                Path.of(System.getProperty("user.home")));
    }

    String env(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }
}
