package dev.berth.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A test resource that starts after EngineProjectResource (which applies to every Quarkus test),
 * so that its settings win.
 */
public interface AfterEngineProject extends QuarkusTestResourceLifecycleManager {
    @Override
    default int order() {
        return 10;
    }
}
