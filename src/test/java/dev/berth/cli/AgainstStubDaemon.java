package dev.berth.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CLI test against a {@link StubDaemon}: a fresh daemon per test, started with the answers
 * {@link #stubs} gives, and {@link #berth} to run the CLI at it with a token and a state directory
 * of its own.
 */
abstract class AgainstStubDaemon {
    @TempDir
    Path tmp;
    StubDaemon daemon;

    @BeforeEach
    void startDaemon() throws Exception {
        daemon = new StubDaemon();
        stubs(daemon);
    }

    /** The answers every test of the class starts with; none by default. */
    void stubs(StubDaemon d) {}

    @AfterEach
    void stopDaemon() {
        daemon.close();
    }

    CliRun berth(String... args) {
        return berth(Map.of(), args);
    }

    /** With {@code env} over the defaults (an empty value removes a variable). */
    CliRun berth(Map<String, String> env, String... args) {
        Map<String, String> all = new HashMap<>(Map.of("BERTH_STATE_DIR", tmp.toString(), "BERTH_SERVER", daemon.url(),
                "BERTH_API_TOKEN", "t"));
        env.forEach((k, v) -> {
            if (v.isEmpty()) {
                all.remove(k);
            } else {
                all.put(k, v);
            }
        });
        return CliRun.run(all, tmp, args);
    }
}
