package dev.berth.app;

import dev.berth.config.BerthConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Starts what {@code berth.role} asks for with the application: {@link Berth} (roles {@code all}
 * and {@code control}) and drives its periodic resync, or only the {@link DataPlane} (role
 * {@code proxy}), in which case no Berth, engine client or reconcile loop is ever made.
 */
@ApplicationScoped
public class BerthDaemon {
    @Inject
    BerthConfig config;

    @Inject
    io.vertx.core.Vertx vertx;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    private volatile Berth berth;
    private volatile DataPlane dataPlane;

    void onStart(@Observes StartupEvent e) throws Exception {
        // A training run has a pass to run: with role proxy it stops at berth() rather than never end.
        if (role() == Role.PROXY && !config.training()) {
            dataPlane = new DataPlane(Settings.from(config), vertx, new dev.berth.metrics.BerthMetrics(registry));
            return;
        }
        berth().start();
        if (config.training()) {
            Training.exitAfterFirstPass(berth.loop());
        }
    }

    void onStop(@Observes ShutdownEvent e) {
        if (berth != null) {
            berth.close();
        }
        if (dataPlane != null) {
            dataPlane.close();
        }
    }

    public Role role() {
        return Role.parse(config.role());
    }

    /** The data plane of role proxy, or null (other roles, or not started). */
    public DataPlane dataPlane() {
        return dataPlane;
    }

    @Scheduled(every = "${berth.resync-interval:30s}", delayed = "${berth.resync-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resync() {
        if (role() != Role.PROXY) {
            berth().resync();
        }
    }

    @Produces
    @Singleton
    Berth produce() {
        return berth();
    }

    synchronized Berth berth() {
        if (role() == Role.PROXY) {
            throw new IllegalStateException("this process runs berth.role=proxy: the data plane only, no control plane");
        }
        if (berth == null) {
            berth = config.training()
                    ? Berth.withoutEngine(Settings.from(config), vertx, registry)
                    : new Berth(Settings.from(config), vertx, registry);
        }
        return berth;
    }
}
