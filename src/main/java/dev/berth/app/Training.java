package dev.berth.app;

import dev.berth.reconcile.ReconcileLoop;
import io.quarkus.runtime.Quarkus;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The end of the AppCDS training run ({@code berth.training}, run by {@code make-appcds} at build
 * time): once the loop has run its first pass, however it ended (there is no engine), the
 * application exits normally, so the JVM writes the archive ({@code -XX:ArchiveClassesAtExit}).
 * A pass that never ends within {@link #LIMIT} ends the run with status 1, and the build fails
 * rather than hang.
 */
final class Training {
    private static final Logger LOG = Logger.getLogger(Training.class);
    static final Duration LIMIT = Duration.ofSeconds(60);

    private Training() {
    }

    static void exitAfterFirstPass(ReconcileLoop loop) {
        Thread t = new Thread(() -> {
            Instant deadline = Instant.now().plus(LIMIT);
            while (loop.passes() == 0 && Instant.now().isBefore(deadline)) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
            boolean ran = loop.passes() > 0;
            LOG.infof("training run: %s; exiting", ran ? "first pass done" : "no pass within " + LIMIT.toSeconds() + "s");
            Quarkus.asyncExit(ran ? 0 : 1);
        }, "berth-training");
        t.setDaemon(true);
        t.start();
    }
}
