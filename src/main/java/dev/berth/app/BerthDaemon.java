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

/** Starts {@link Berth} with the application and drives its periodic resync. */
@ApplicationScoped
public class BerthDaemon {
    @Inject
    BerthConfig config;

    @Inject
    io.vertx.core.Vertx vertx;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    private volatile Berth berth;

    void onStart(@Observes StartupEvent e) {
        berth().start();
    }

    void onStop(@Observes ShutdownEvent e) {
        if (berth != null) {
            berth.close();
        }
    }

    @Scheduled(every = "${berth.resync-interval:30s}", delayed = "${berth.resync-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resync() {
        berth().resync();
    }

    @Produces
    @Singleton
    Berth produce() {
        return berth();
    }

    synchronized Berth berth() {
        if (berth == null) {
            berth = new Berth(Settings.from(config), vertx, registry);
        }
        return berth;
    }
}
