package dev.berth.reconcile;

import dev.berth.engine.DockerEngine;
import dev.berth.engine.EngineException;
import dev.berth.resolve.PullGate;
import dev.berth.resolve.ResolveException;
import dev.berth.resolve.ResolvePending;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Pulls run on a service's own pull worker, never on the planning pass: a registry that hangs
 * (up to {@code pullTimeout}) holds back only the service that needs the image. The pass asks
 * {@link #await}; the first ask starts the pull and every ask until it ends answers "pending".
 * The outcome is handed over exactly once, to the next ask after the pull ended.
 */
final class ImagePulls implements PullGate, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ImagePulls.class);

    /** One pull of {@code image} for a service, for the spec fingerprint that asked for it. */
    private record Attempt(String image, String fingerprint, boolean done, Exception error) {}

    private final DockerEngine engine;
    private final Duration timeout;
    private final ServiceWorkers workers;
    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();

    ImagePulls(DockerEngine engine, Duration timeout, int threads, java.util.function.Consumer<String> wake) {
        this.engine = engine;
        this.timeout = timeout;
        this.workers = new ServiceWorkers("pull", threads, wake);
    }

    /**
     * Returns once a pull of {@code image} for {@code fingerprint} has succeeded (and forgets it);
     * otherwise starts it if needed and throws {@link ResolvePending}, or throws the pull's
     * failure once.
     */
    @Override
    public void await(String service, String image, String fingerprint) throws ResolveException {
        Attempt a = attempts.get(service);
        if (a != null && a.image().equals(image) && a.fingerprint().equals(fingerprint)) {
            if (!a.done()) {
                throw new ResolvePending("pulling image " + image);
            }
            attempts.remove(service, a);
            if (a.error() != null) {
                throw new ResolveException(a.error().getMessage(), a.error());
            }
            return;
        }
        if (workers.busy(service)) {
            // An older pull of this service is still running; its end wakes the loop.
            throw new ResolvePending("pulling image " + (a == null ? image : a.image()));
        }
        Attempt started = new Attempt(image, fingerprint, false, null);
        attempts.put(service, started);
        boolean accepted = workers.submit(service, "pull", () -> {
            Exception error = null;
            try {
                LOG.infof("service=%s pulling image %s", service, image);
                engine.pull(image, timeout);
            } catch (EngineException e) {
                error = e;
            } catch (RuntimeException e) {
                error = new EngineException("pulling " + image + " failed: " + e, e);
            }
            attempts.replace(service, started, new Attempt(image, fingerprint, true, error));
        });
        if (!accepted) {
            attempts.remove(service, started);
        }
        throw new ResolvePending("pulling image " + image);
    }

    @Override
    public void close() {
        workers.close();
    }
}
