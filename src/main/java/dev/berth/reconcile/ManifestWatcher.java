package dev.berth.reconcile;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Wakes the loop when anything under the manifests directory changes, once the changes have
 * been quiet for the debounce time (an editor's save or a git checkout is many events). Only
 * a wake-up: what changed is found by the pass, and the periodic resync covers anything missed
 * (a directory that did not exist yet, an overflow).
 */
public final class ManifestWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ManifestWatcher.class);

    private final Path dir;
    private final Duration debounce;
    private final Consumer<String> trigger;
    private final WatchService watch;
    private final Thread thread;

    public ManifestWatcher(Path dir, Duration debounce, Consumer<String> trigger) throws IOException {
        this.dir = dir;
        this.debounce = debounce;
        this.trigger = trigger;
        this.watch = dir.getFileSystem().newWatchService();
        this.thread = new Thread(this::run, "berth-manifest-watcher");
        this.thread.setDaemon(true);
    }

    public void start() {
        register();
        thread.start();
    }

    private void register() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            s.filter(Files::isDirectory).filter(p -> p.equals(dir) || !hidden(dir.relativize(p)))
                    .forEach(p -> {
                        try {
                            p.register(watch, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY, OVERFLOW);
                        } catch (IOException e) {
                            LOG.debugf("cannot watch %s: %s", p, e.getMessage());
                        }
                    });
        } catch (IOException | RuntimeException e) {
            LOG.debugf("cannot walk %s: %s", dir, e.getMessage());
        }
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watch.poll(5, TimeUnit.SECONDS);
                if (key == null) {
                    register(); // the directory may have appeared or been replaced
                    continue;
                }
                drain(key);
                // Quiet period: keep swallowing events until none came for the debounce time.
                WatchKey more;
                while ((more = watch.poll(debounce.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    drain(more);
                }
                register();
                trigger.accept("manifest change");
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    /** Inside a dot-directory (.git and all below it): never holds manifests. */
    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    @Override
    public void close() throws IOException {
        watch.close();
        thread.interrupt();
    }
}
