package dev.berth.app;

import dev.berth.engine.DockerClients;
import dev.berth.engine.DockerEngine;
import dev.berth.manifest.HostAccessPolicy;
import dev.berth.manifest.ManifestLoader;
import dev.berth.reconcile.ManifestWatcher;
import dev.berth.reconcile.ReconcileLoop;
import dev.berth.reconcile.Reconciler;
import dev.berth.state.StateStore;
import dev.berth.status.StatusBoard;
import dev.berth.events.EventLog;
import dev.berth.health.HealthMonitor;
import dev.berth.proxy.PersistentSwitch;
import dev.berth.proxy.ProxyManager;
import dev.berth.proxy.RemoteProxy;
import dev.berth.proxy.RouteTable;
import dev.berth.proxy.TrafficSwitch;
import io.vertx.core.Vertx;
import java.io.Closeable;
import java.io.IOException;
import org.jboss.logging.Logger;
import dev.berth.state.StateUnreadable;

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
    private final EventLog events = new EventLog(1000);
    private final dev.berth.metrics.BerthMetrics metrics;
    private final StateStore state;
    private final ManifestLoader loader;
    private final ReconcileLoop loop;
    private final dev.berth.reconcile.ReconcileBackend reconciler;
    private final HealthMonitor health;
    private final TrafficSwitch proxy;
    private final Vertx vertx;
    private final boolean ownVertx;
    private ManifestWatcher watcher;
    private Closeable engineEvents;

    /** With a Vert.x of its own (tests, tools). */
    public Berth(Settings settings) {
        this(settings, null, null);
    }

    /**
     * @param vertx    the application's Vert.x (Quarkus'), or null to make and own one
     * @param registry where metrics go (Quarkus' Prometheus registry), or null for a private one
     */
    public Berth(Settings settings, Vertx vertx, io.micrometer.core.instrument.MeterRegistry registry) {
        this(settings, vertx, registry, java.util.Optional.empty());
    }

    /**
     * For the AppCDS training run ({@code berth.training}): on no engine, a socket in the state
     * directory that does not exist, so that the run loads what start-up and a pass load and
     * never acts on a host's containers, whatever DOCKER_HOST names.
     */
    static Berth withoutEngine(Settings settings, Vertx vertx, io.micrometer.core.instrument.MeterRegistry registry) {
        String nowhere = "unix://" + settings.stateDir().toAbsolutePath().resolve("no-engine.sock");
        return new Berth(settings, vertx, registry, java.util.Optional.of(nowhere));
    }

    /**
     * On the engine at {@code dockerHost} instead of the one DOCKER_HOST names (tests that run an
     * engine of their own, to restart it).
     */
    public static Berth onEngine(Settings settings, String dockerHost) {
        return new Berth(settings, null, null, java.util.Optional.of(dockerHost));
    }

    private Berth(Settings settings, Vertx vertx, io.micrometer.core.instrument.MeterRegistry registry,
            java.util.Optional<String> dockerHost) {
        this.metrics = new dev.berth.metrics.BerthMetrics(registry);
        this.settings = settings;
        this.ownVertx = vertx == null;
        this.vertx = vertx == null ? Vertx.vertx() : vertx;
        com.github.dockerjava.core.DockerClientConfig dockerConfig = DockerClients.config(settings.dockerConfig(), dockerHost);
        this.engine = new DockerEngine(dockerConfig, settings.project(), settings.publishAddress(),
                settings.engineTimeouts());
        this.state = new StateStore(settings.stateDir());
        this.loader = new ManifestLoader(settings.manifestsDir(), settings.secretsDir(), settings.debounce(),
                HostAccessPolicy.of(settings.stateDir(), settings.secretsDir(), DockerClients.socket(dockerConfig),
                        settings.allowedHostPaths()),
                reservedPorts(settings));
        this.health = new HealthMonitor(engine, this::healthChanged);
        this.proxy = trafficSwitch(settings, this.vertx, metrics, health, this::trigger);
        this.reconciler = settings.backend() == Backend.SWARM
                ? new dev.berth.reconcile.SwarmReconciler(loader,
                        new dev.berth.engine.SwarmApi(dockerConfig, settings.engineTimeouts().call()), settings.project(),
                        board, events, metrics, settings.secretsDir(), settings.backoff(), settings.allowEmpty(),
                        this::trigger)
                : new Reconciler(loader, engine, state, board, settings.secretsDir(), settings.pullTimeout(),
                        settings.workers(), settings.backoff(), settings.allowEmpty(), health, proxy,
                        settings.upstream(), events, metrics, this::trigger);
        this.loop = new ReconcileLoop(reconciler, metrics);
        engine.externalStops().listen(stop -> events.warning(stop.service(), stop.revision(), "StoppedByOther",
                stop.describe()));
    }

    /**
     * The data plane this control plane drives, by role, with the health monitor seeded from the
     * replicas it serves now: ready replicas that still run stay ready across a restart, so the
     * first pass does not take them out before their probes have run (docs/design/proxy.md).
     */
    /** Ports Berth listens on itself, which no service may publish: the API's, and the admin channel's when split. */
    private static dev.berth.manifest.ReservedPorts reservedPorts(Settings settings) {
        var reserved = dev.berth.manifest.ReservedPorts.fromConfig();
        return settings.role() == Role.ALL ? reserved
                : reserved.with(settings.admin().port(), "the data plane's admin channel (berth.proxy.admin-port)");
    }

    private static TrafficSwitch trafficSwitch(Settings settings, Vertx vertx, dev.berth.metrics.BerthMetrics metrics,
            HealthMonitor health, java.util.function.Consumer<String> wake) {
        java.nio.file.Path dir = settings.proxyDir();
        switch (settings.role()) {
            case CONTROL -> {
                RemoteProxy remote = new RemoteProxy(settings.admin().host(), settings.admin().port(),
                        dir.resolve(dev.berth.proxy.AdminToken.FILE), members -> {
                            health.seed(members);
                            wake.accept("data plane table read");
                        });
                if (!remote.seed()) {
                    LOG.warnf("%s; nothing is pushed until it answers", remote.unreachable());
                }
                return remote;
            }
            case ALL -> {
                java.nio.file.Path file = dir.resolve(RouteTable.FILE);
                health.seed(RouteTable.members(RouteTable.load(file)));
                return new PersistentSwitch(new ProxyManager(vertx, settings.publishAddress(), metrics,
                        settings.proxyTimeouts()), file);
            }
            default -> throw new IllegalArgumentException("role " + settings.role() + " runs no control plane");
        }
    }

    public Berth start() {
        LOG.infof("berth starting: role=%s backend=%s project=%s manifests=%s state=%s secrets=%s",
                settings.role().name().toLowerCase(java.util.Locale.ROOT),
                settings.backend().name().toLowerCase(java.util.Locale.ROOT), settings.project(),
                settings.manifestsDir(), settings.stateDir(), settings.secretsDir());
        if (settings.backend() == Backend.ENGINE) {
            CompilerCheck.warning(settings.role(), CompilerCheck.tieredStopAtLevel()).ifPresent(LOG::warn);
        }
        loop.start();
        try {
            watcher = new ManifestWatcher(settings.manifestsDir(), settings.debounce(), loop::trigger);
            watcher.start();
        } catch (IOException e) {
            LOG.warnf("cannot watch %s (%s); relying on the periodic resync", settings.manifestsDir(), e.getMessage());
        }
        try {
            engineEvents = settings.backend() == Backend.SWARM
                    ? new dev.berth.engine.SwarmEvents(engine.client(), event -> loop.trigger("swarm event " + event))
                    : engine.watchEvents(action -> loop.trigger("engine event " + action));
        } catch (RuntimeException e) {
            LOG.warnf("cannot follow engine events (%s); relying on the periodic resync", e.getMessage());
        }
        return this;
    }

    private void healthChanged(String reason) {
        if (reconciler instanceof Reconciler r) {
            r.healthChanged(reason);
        }
    }

    private void trigger(String reason) {
        ReconcileLoop l = loop;
        if (l != null) {
            l.trigger(reason);
        }
    }

    public void resync() {
        loop.resync("periodic resync");
    }

    public EventLog events() {
        return events;
    }

    /** The series /q/metrics serves (a registry of its own when Berth runs outside Quarkus, as in tests). */
    public dev.berth.metrics.BerthMetrics metrics() {
        return metrics;
    }

    /** State files that cannot be read, by service; those services are left as they run. */
    public java.util.Map<String, dev.berth.state.StateUnreadable> unreadableState() {
        return state.unreadable();
    }

    /** Why the state directory cannot be written now, if it cannot; see {@link StateStore#writeProblem()}. */
    public java.util.Optional<String> stateWriteProblem() {
        return state.writeProblem();
    }

    /** The kept revisions of a service, oldest first; throws StateUnreadable for a corrupt state file. */
    public java.util.List<dev.berth.state.RevisionRecord> revisions(String service) {
        return reconciler.revisions(service).orElseGet(() -> state.revisions(service));
    }

    /**
     * Fewest ready replicas the service may have and still count as up to a monitor: replicas −
     * maxUnavailable but at least 1, from the current manifest (0 for an unknown service or a job);
     * see {@link dev.berth.plan.RolloutMath#minHealthy}.
     */
    public int minAvailable(String service) {
        var spec = loader.current().services().get(service);
        return spec == null ? 0 : dev.berth.plan.RolloutMath.minHealthy(spec);
    }

    /** The UP/DOWN verdict for a service's status, by the current manifest's minimum. */
    public dev.berth.status.Verdict verdict(dev.berth.status.ServiceStatus s) {
        return dev.berth.status.Verdict.of(s, minAvailable(s.name()));
    }

    /** Hands an operator command to the reconcile loop; see {@link Reconciler#submit}. */
    public java.util.concurrent.CompletableFuture<Void> submit(dev.berth.rollout.Command c) {
        return reconciler.submit(c);
    }

    /**
     * The loader of the manifests directory: its {@link ManifestLoader#current() current} desired
     * state (what the reconcile loop last loaded) and {@link ManifestLoader#trial trials} are safe
     * from any thread; {@code load} is the loop's alone.
     */
    public ManifestLoader manifests() {
        return loader;
    }

    /** Wakes the reconcile loop (a manifest was written over the API; the file watcher would too, later). */
    public void wake(String reason) {
        trigger(reason);
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

    /** The data plane this control plane configures (in this process or another). */
    public TrafficSwitch trafficSwitch() {
        return proxy;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public void close() {
        try {
            if (engineEvents != null) {
                engineEvents.close();
            }
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException e) {
            LOG.debug("closing watchers", e);
        }
        loop.close();
        reconciler.close();
        health.close();
        proxy.close();
        if (ownVertx) {
            vertx.close();
        }
        try {
            engine.close();
        } catch (Exception e) {
            LOG.debug("closing engine client", e);
        }
    }
}
