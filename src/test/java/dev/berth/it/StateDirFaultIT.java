package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.APP_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.StateReadiness;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults: the state directory (a small tmpfs of the test's own) fills up, and then turns
 * read-only, while a rollout needs to record a new revision. Promise: readiness "state" is DOWN
 * with the failed write as the reason, the old revision keeps serving with 0 failed requests,
 * every state file still parses, and once space returns (or the mount is writable again) the
 * rollout completes and readiness is UP, by itself.
 */
class StateDirFaultIT extends EngineTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private boolean mounted;

    @BeforeEach
    void smallTmpfs() throws Exception {
        sh("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "berth-state-fault", state.toString());
        mounted = true;
    }

    @Override
    @AfterEach
    void tearDownEngine() throws Exception {
        try {
            super.tearDownEngine();
        } finally {
            if (mounted) {
                sh("umount", "-l", state.toString());
            }
        }
    }

    @Test
    void aFullThenReadOnlyStateDirectoryIsReportedAndRecoversByItself() throws Exception {
        startBerth();
        int port = freePort();
        write("web.yaml", proxiedWeb(APP_V1, port, "", ""));
        awaitAvailable("web", 2);
        assertThat(ready().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

        try (Load load = new Load(port, "/", 4)) {
            await().atMost(EVENTUALLY).until(() -> load.ok.get() > 20);

            // 1. Full: a filler keeps taking every free block (as a runaway log would: a failed
            // write frees its partial blocks again); the rollout to v2 cannot record its revision.
            Path filler = state.resolve("filler");
            HealthCheckResponse down;
            try (Filler f = new Filler(filler)) {
                write("web.yaml", proxiedWeb(APP_V2, port, "", ""));
                down = awaitReady(false);
                assertThat(String.valueOf(down.getData().orElseThrow().get("error"))).contains("No space left on device");
                assertOldRevisionServes(load);
                assertStateFilesParse();
            }
            Files.delete(filler);
            awaitReady(true);
            awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available"));
            assertThat(load.failures).isEmpty();

            // 2. Read-only: the rollout to revision 3 (v1 with an env) cannot be recorded.
            sh("mount", "-o", "remount,ro", state.toString());
            write("web.yaml", proxiedWeb(APP_V1, port, "", "  env: {AFTER: read-only}\n"));
            down = awaitReady(false);
            assertThat(String.valueOf(down.getData().orElseThrow().get("error"))).contains("Read-only file system");
            assertThat(running("web")).hasSize(2)
                    .allSatisfy(c -> assertThat(c.getLabels()).containsEntry("dev.berth.revision", "2"));
            assertStateFilesParse();

            sh("mount", "-o", "remount,rw", state.toString());
            awaitReady(true);
            awaitStatus("web", s -> s.revision() == 3 && s.phase().name().equals("Available"));
            assertStateFilesParse();
            assertThat(load.failures).as("0 failed requests through both faults").isEmpty();
        }
    }

    private void assertOldRevisionServes(Load load) {
        long before = load.ok.get();
        await().atMost(EVENTUALLY).until(() -> load.ok.get() > before + 20);
        assertThat(running("web")).hasSize(2)
                .allSatisfy(c -> assertThat(c.getLabels()).containsEntry("dev.berth.revision", "1"));
        assertThat(load.count("v2")).isZero();
        assertThat(load.failures).isEmpty();
    }

    /** Every state file (outside temp files) is whole JSON; the faults never leave half a file. */
    private void assertStateFilesParse() throws IOException {
        Path services = state.resolve("services");
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(services, "*.json")) {
            for (Path f : files) {
                assertThat(JSON.readTree(f.toFile())).as(f.toString()).isNotNull();
                n++;
            }
        }
        assertThat(n).as("web's state file exists").isGreaterThanOrEqualTo(1);
        assertThat(berth.unreadableState()).isEmpty();
    }

    /** Keeps a file growing until the file system is full, and tops it up every 20 ms until closed. */
    private static final class Filler implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;

        Filler(Path file) throws IOException {
            OutputStream out = Files.newOutputStream(file);
            byte[] block = new byte[4096];
            thread = new Thread(() -> {
                try (out) {
                    while (running) {
                        try {
                            out.write(block);
                        } catch (IOException full) {
                            Thread.sleep(20);
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    // closing
                }
            }, "state-filler");
            thread.setDaemon(true);
            thread.start();
            await().atMost(EVENTUALLY).until(() -> Files.size(file) > 0 && Files.getFileStore(file).getUsableSpace() < 4096);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }

    private HealthCheckResponse ready() {
        return StateReadiness.check(berth);
    }

    private HealthCheckResponse awaitReady(boolean up) {
        var want = up ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN;
        await().atMost(EVENTUALLY).pollInterval(Duration.ofMillis(200)).until(() -> ready().getStatus() == want);
        return ready();
    }

    private static void sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
