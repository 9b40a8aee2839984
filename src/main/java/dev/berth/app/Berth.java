package dev.berth.app;

import dev.berth.engine.DockerClients;
import dev.berth.engine.DockerEngine;
import dev.berth.manifest.ManifestLoader;
import dev.berth.reconcile.ManifestWatcher;
import dev.berth.reconcile.ReconcileLoop;
import dev.berth.reconcile.Reconciler;
import dev.berth.reconcile.Resolver;
import dev.berth.reconcile.StateStore;
import dev.berth.reconcile.StatusBoard;
import java.io.Closeable;
import java.io.IOException;
import org.jboss.logging.Logger;

/**
 * The daemon's core, assembled from {@link Settings}: engine, state, loader, reconciler, the
 * loop and its three triggers (file watcher, engine events, periodic resync by the caller).
 * Plain Java so integration tests can run several, each as its own project, in one JVM.
 */
public final class Berth implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Berth.class);

    private final Settings settings;
    private final DockerEngine engine;
    private final StatusBoard board = new StatusBoard();
    private final ReconcileLoop loop;
    private ManifestWatcher watcher;
    private Closeable events;

    public Berth(Settings settings) {
        this.settings = settings;
        this.engine = new DockerEngine(DockerClients.config(settings.dockerConfig()), settings.project(),
                settings.publishAddress());
        StateStore state = new StateStore(settings.stateDir());
        ManifestLoader loader = new ManifestLoader(settings.manifestsDir(), settings.secretsDir());
        Resolver resolver = new Resolver(engine, state, settings.secretsDir(), settings.pullTimeout());
        Reconciler reconciler = new Reconciler(loader, engine, resolver, state, board, settings.backoff(),
                settings.allowEmpty());
        this.loop = new ReconcileLoop(reconciler);
    }

    public Berth start() {
        LOG.infof("berth starting: project=%s manifests=%s state=%s secrets=%s", settings.project(),
                settings.manifestsDir(), settings.stateDir(), settings.secretsDir());
        loop.start();
        try {
            watcher = new ManifestWatcher(settings.manifestsDir(), settings.debounce(), loop::trigger);
            watcher.start();
        } catch (IOException e) {
            LOG.warnf("cannot watch %s (%s); relying on the periodic resync", settings.manifestsDir(), e.getMessage());
        }
        try {
            events = engine.watchEvents(action -> loop.trigger("engine event " + action));
        } catch (RuntimeException e) {
            LOG.warnf("cannot follow engine events (%s); relying on the periodic resync", e.getMessage());
        }
        return this;
    }

    public void resync() {
        loop.trigger("periodic resync");
    }

    public StatusBoard status() {
        return board;
    }

    public ReconcileLoop loop() {
        return loop;
    }

    public DockerEngine engine() {
        return engine;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public void close() {
        try {
            if (events != null) {
                events.close();
            }
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException e) {
            LOG.debug("closing watchers", e);
        }
        loop.close();
        try {
            engine.close();
        } catch (Exception e) {
            LOG.debug("closing engine client", e);
        }
    }
}
