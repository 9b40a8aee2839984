package dev.berth.app;

import dev.berth.config.BerthConfig;
import dev.berth.desired.BackoffPolicy;
import dev.berth.engine.EngineTimeouts;
import dev.berth.proxy.ProxyTimeouts;
import dev.berth.proxy.Upstream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Berth's settings as plain values, so the core can be built without the container (tests). */
public record Settings(Path manifestsDir, Path stateDir, Path secretsDir, String project, String publishAddress,
        Duration resyncInterval, Duration debounce, boolean allowEmpty, Optional<String> dockerConfig,
        Duration pullTimeout, BackoffPolicy backoff, ProxyTimeouts proxyTimeouts, int workers,
        java.util.List<String> allowedHostPaths, Role role, AdminAddress admin, EngineTimeouts engineTimeouts, Backend backend,
        Upstream upstream) {

    /** Where the data plane's admin channel listens (role proxy) or is reached (role control). */
    public record AdminAddress(String host, int port) {
        public static final AdminAddress DEFAULT = new AdminAddress("127.0.0.1", 7071);
    }

    /** Engine work in parallel across services, when not configured. */
    public static final int DEFAULT_WORKERS = 8;

    /** With the proxy's default timeouts and the default workers (tests). */
    public Settings(Path manifestsDir, Path stateDir, Path secretsDir, String project, String publishAddress,
            Duration resyncInterval, Duration debounce, boolean allowEmpty, Optional<String> dockerConfig,
            Duration pullTimeout, BackoffPolicy backoff) {
        this(manifestsDir, stateDir, secretsDir, project, publishAddress, resyncInterval, debounce, allowEmpty,
                dockerConfig, pullTimeout, backoff, ProxyTimeouts.DEFAULTS, DEFAULT_WORKERS, java.util.List.of(),
                Role.ALL, AdminAddress.DEFAULT, EngineTimeouts.DEFAULTS, Backend.ENGINE, Upstream.AUTO);
    }

    public static Settings from(BerthConfig c) {
        Backend.parse(c.backend()).check(Role.parse(c.role()));
        return new Settings(Path.of(c.manifestsDir()).toAbsolutePath(), Path.of(c.stateDir()).toAbsolutePath(),
                Path.of(c.secretsDir()).toAbsolutePath(), c.project(), c.publishAddress(), c.resyncInterval(),
                c.debounce(), c.allowEmpty(), c.dockerConfig(), c.pullTimeout(),
                new BackoffPolicy(c.backoff().initial(), c.backoff().max(), c.backoff().reset()),
                new ProxyTimeouts(c.proxy().requestTimeout(), c.proxy().idleTimeout()), c.workers(),
                c.allowedHostPaths().orElse(java.util.List.of()),
                Role.parse(c.role()), new AdminAddress(c.proxy().adminHost(), c.proxy().adminPort()),
                new EngineTimeouts(c.engine().callTimeout(), c.engine().pingTimeout()), Backend.parse(c.backend()),
                Upstream.parse(c.proxy().upstream()));
    }

    public Settings withManifestsDir(Path p) {
        return new Settings(p, stateDir, secretsDir, project, publishAddress, resyncInterval, debounce, allowEmpty,
                dockerConfig, pullTimeout, backoff, proxyTimeouts, workers, allowedHostPaths, role, admin, engineTimeouts, backend, upstream);
    }

    public Settings withAllowEmpty(boolean b) {
        return new Settings(manifestsDir, stateDir, secretsDir, project, publishAddress, resyncInterval, debounce, b,
                dockerConfig, pullTimeout, backoff, proxyTimeouts, workers, allowedHostPaths, role, admin, engineTimeouts, backend, upstream);
    }

    public Settings withDockerConfig(String dir) {
        return new Settings(manifestsDir, stateDir, secretsDir, project, publishAddress, resyncInterval, debounce,
                allowEmpty, Optional.of(dir), pullTimeout, backoff, proxyTimeouts, workers, allowedHostPaths, role, admin, engineTimeouts, backend, upstream);
    }

    public Settings withRole(Role r, AdminAddress a) {
        return new Settings(manifestsDir, stateDir, secretsDir, project, publishAddress, resyncInterval, debounce,
                allowEmpty, dockerConfig, pullTimeout, backoff, proxyTimeouts, workers, allowedHostPaths, r, a, engineTimeouts, backend, upstream);
    }

    /** Where the proxy keeps its route table and the admin token, in the shared state directory. */
    public java.nio.file.Path proxyDir() {
        return stateDir.resolve("proxy");
    }

    public Settings withBackoff(BackoffPolicy b) {
        return new Settings(manifestsDir, stateDir, secretsDir, project, publishAddress, resyncInterval, debounce,
                allowEmpty, dockerConfig, pullTimeout, b, proxyTimeouts, workers, allowedHostPaths, role, admin, engineTimeouts, backend, upstream);
    }

    /** {@code berth.allowed-host-paths} entries: {@code /path} or {@code service=/path}. */
    public Settings withAllowedHostPaths(java.util.List<String> entries) {
        return new Settings(manifestsDir, stateDir, secretsDir, project, publishAddress, resyncInterval, debounce,
                allowEmpty, dockerConfig, pullTimeout, backoff, proxyTimeouts, workers, entries, role, admin, engineTimeouts, backend, upstream);
    }

    public Settings withEngineTimeouts(EngineTimeouts t) {
        return new Settings(manifestsDir, stateDir, secretsDir, project, publishAddress, resyncInterval, debounce,
                allowEmpty, dockerConfig, pullTimeout, backoff, proxyTimeouts, workers, allowedHostPaths, role, admin, t, backend, upstream);
    }

    public Settings withBackend(Backend b) {
        return new Settings(manifestsDir, stateDir, secretsDir, project, publishAddress, resyncInterval, debounce,
                allowEmpty, dockerConfig, pullTimeout, backoff, proxyTimeouts, workers, allowedHostPaths, role, admin,
                engineTimeouts, b, upstream);
    }

    public Settings withUpstream(Upstream u) {
        return new Settings(manifestsDir, stateDir, secretsDir, project, publishAddress, resyncInterval, debounce,
                allowEmpty, dockerConfig, pullTimeout, backoff, proxyTimeouts, workers, allowedHostPaths, role, admin,
                engineTimeouts, backend, u);
    }
}
