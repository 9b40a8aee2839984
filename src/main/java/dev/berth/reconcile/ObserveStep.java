package dev.berth.reconcile;

import dev.berth.engine.DockerEngine;
import dev.berth.engine.EngineException;
import dev.berth.manifest.LoadResult;
import dev.berth.metrics.BerthMetrics;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ObservedState;
import dev.berth.plan.Planner;
import dev.berth.state.StateStore;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * A pass's first step, read beside the manifests' load: the engine's view, and whether Berth
 * may act on it at all. When the engine does not answer, or the manifests directory cannot be read or is
 * empty while Berth's containers run, the step publishes why and refuses the pass's commands; the
 * pass then ends without touching anything. Called on the planning thread only; the engine is
 * read on a thread of its own.
 */
final class ObserveStep {
    private static final Logger LOG = Logger.getLogger(ObserveStep.class);

    private final DockerEngine engine;
    private final StateStore state;
    private final Removals removals;
    private final StatusPublisher publisher;
    private final BerthMetrics metrics;
    private final Path manifestsDir;
    private final boolean allowEmpty;
    /** Refusals already logged: each is logged once, not every pass. */
    private final Set<String> warned = new HashSet<>();
    private boolean engineUp = true;
    /** Where the engine is read: one read at a time, since one pass runs at a time. */
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "berth-observe");
        t.setDaemon(true);
        return t;
    });

    ObserveStep(DockerEngine engine, StateStore state, Removals removals, StatusPublisher publisher,
            BerthMetrics metrics, Path manifestsDir, boolean allowEmpty) {
        this.engine = engine;
        this.state = state;
        this.removals = removals;
        this.publisher = publisher;
        this.metrics = metrics;
        this.manifestsDir = manifestsDir;
        this.allowEmpty = allowEmpty;
    }

    /**
     * Starts reading the engine, beside whatever the pass does next (loading the manifests):
     * neither needs the other, and a resync's list call is most of its pass. {@code fresh}: ask
     * even when the event stream vouches for the kept view (as after the engine was down).
     */
    Future<ObservedState> start(boolean fresh) {
        boolean ask = fresh || !engineUp;
        return reader.submit(() -> engine.observe(ask));
    }

    /**
     * The engine's view that {@link #start} began to read, once it is there; forgets what the
     * view shows to be over (finished removals, restart counts of containers that are gone).
     * Null when the engine does not answer: the board says so and the pass's commands are
     * refused (503).
     */
    ObservedState observe(LoadResult load, List<PendingCommand> pending, Future<ObservedState> reading) {
        ObservedState observed;
        try {
            observed = await(reading);
        } catch (EngineException e) {
            metrics.engineError();
            if (engineUp) {
                LOG.errorf("engine unreachable: %s (retrying every 5s)", e.getMessage());
            }
            engineUp = false;
            publisher.engineDown(load.problems());
            PendingCommand.reject(pending, 503, "the engine is unreachable: " + e.getMessage());
            return null;
        }
        if (!engineUp) {
            LOG.info("engine reachable again");
            engineUp = true;
        }
        removals.observed(observed.containers().stream().map(ObservedContainer::id).toList());
        state.pruneRestarts(observed.containers().stream()
                .map(c -> Planner.replicaKey(c.service(), c.specHash(), c.ordinal())).collect(Collectors.toSet()));
        return observed;
    }

    private static ObservedState await(Future<ObservedState> reading) {
        try {
            return reading.get();
        } catch (InterruptedException e) {
            reading.cancel(true);
            Thread.currentThread().interrupt();
            throw new EngineException("read the engine's state: interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new EngineException("read the engine's state: " + e.getCause(), e.getCause());
        }
    }

    void close() {
        reader.shutdownNow();
    }

    /**
     * True when Berth must not act on the manifests (the directory cannot be read, or it declares
     * nothing while Berth's containers run): the refusal is published (services keep showing as
     * last seen: they still run, untouched) and the pass's commands are refused (409).
     */
    boolean refused(LoadResult load, ObservedState observed, List<PendingCommand> pending) {
        String refusal = load.refusal() != null ? load.refusal() : emptyRefusal(load, observed);
        if (refusal == null) {
            return false;
        }
        if (warned.add(refusal)) {
            LOG.errorf("refusing to act: %s", refusal);
        }
        publisher.refused(load.problems(), refusal);
        PendingCommand.reject(pending, 409, "Berth refuses to act on the manifests directory: " + refusal);
        return true;
    }

    private String emptyRefusal(LoadResult load, ObservedState observed) {
        return emptyRefusal(allowEmpty, load, manifestsDir, observed.containers().size(), "containers");
    }

    /**
     * Why a pass must not act on a manifests directory that declares nothing while {@code running}
     * of Berth's {@code what} (containers, Swarm services) exist, or null: both backends refuse
     * to remove everything unless berth.allow-empty says so.
     */
    static String emptyRefusal(boolean allowEmpty, LoadResult load, Path manifestsDir, int running, String what) {
        if (allowEmpty || !load.desired().services().isEmpty() || !load.desired().heldSources().isEmpty()
                || running == 0) {
            return null;
        }
        return "the manifests directory " + manifestsDir + " declares no services (" + load.files()
                + " manifest files) but " + running + " " + what + " of Berth's exist; refusing "
                + "to remove everything. Set berth.allow-empty=true (BERTH_ALLOW_EMPTY) to allow it";
    }
}
