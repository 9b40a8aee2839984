package dev.berth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/**
 * Berth's settings. Every key can also be given as an environment variable in the usual
 * MicroProfile way ({@code berth.manifests-dir} → {@code BERTH_MANIFESTS_DIR}).
 */
@ConfigMapping(prefix = "berth")
public interface BerthConfig {

    /** Directory scanned (recursively) for *.yaml / *.yml manifests. */
    @WithDefault("/etc/berth/manifests")
    String manifestsDir();

    /** Where Berth keeps revision history, rendered config/secret files and its state. */
    @WithDefault("/var/lib/berth")
    String stateDir();

    /** Directory holding one file per secret, named after the secret. */
    @WithDefault("/etc/berth/secrets")
    String secretsDir();

    /**
     * Name of this Berth installation on the engine. Prefixes every object Berth creates
     * (Compose's "project") and scopes ownership: Berth only touches objects labelled with it.
     */
    @WithDefault("berth")
    String project();

    /** Host address that service ports are published on (direct publishing). */
    @WithDefault("0.0.0.0")
    String publishAddress();

    /** Periodic full reconcile, the safety net behind file and engine events. */
    @WithDefault("30s")
    Duration resyncInterval();

    /**
     * Quiet time after the last file change before a pass reads the manifests directory. Long
     * enough for an editor's save or a checkout (bursts of events milliseconds apart), short
     * because every deploy waits for it.
     */
    @WithDefault("200ms")
    Duration debounce();

    /**
     * Allow a manifest directory that is empty (or has lost every manifest) to remove every
     * service. Off by default: an emptied directory is far more often an accident.
     */
    @WithDefault("false")
    boolean allowEmpty();

    /**
     * The build's AppCDS training run ({@code make-appcds}): the daemon starts on the manifests
     * directory, runs one pass against no engine at all (a socket in the state directory that does
     * not exist, whatever DOCKER_HOST says, so a training run never touches a host's containers)
     * and exits, and the JVM archives the classes that start-up and the pass loaded.
     */
    @WithDefault("false")
    boolean training();

    /**
     * Host paths bind mounts may reach although they are protected (system directories, the
     * Docker socket, Berth's own directories): {@code /etc/ssl/certs} for every service,
     * {@code traefik=/var/run/docker.sock} for one. Only here, never in a manifest.
     */
    @WithName("allowed-host-paths")
    Optional<java.util.List<String>> allowedHostPaths();

    /** Directory of the Docker client config (config.json with registry credentials). */
    @WithName("docker-config")
    Optional<String> dockerConfig();

    /** Longest time an image pull may take. */
    @WithDefault("10m")
    Duration pullTimeout();

    /**
     * Services whose engine work (creates, starts, pulls) runs at the same time. One service's
     * work never runs twice at once; a slow service holds back only itself.
     */
    @WithDefault("8")
    int workers();

    /**
     * What this process runs: {@code all} (control plane with the proxy inside), {@code control}
     * (control plane only; it configures a separate data-plane process over the admin channel) or
     * {@code proxy} (the data plane only: listeners and the admin channel, no engine, no manifests).
     */
    @WithDefault("all")
    String role();

    /**
     * What Berth drives: {@code engine} (one Docker engine, containers run by Berth) or
     * {@code swarm} (a Docker Swarm through the manager at DOCKER_HOST; docs/swarm.md).
     */
    @WithDefault("engine")
    String backend();

    /** How long Berth waits for the Docker engine (see {@code EngineTimeouts}). */
    Engine engine();

    interface Engine {
        /** Longest silence of the engine within one ordinary call; past it the call fails and is retried. */
        @WithDefault("60s")
        Duration callTimeout();

        /** Longest wait for the readiness check's ping; past it readiness is DOWN. */
        @WithDefault("3s")
        Duration pingTimeout();
    }

    /** Berth's proxy in front of {@code protocol: http} ports (see {@code ProxyTimeouts}). */
    Proxy proxy();

    interface Proxy {
        /** Longest wait for a replica's response headers; past it the client gets 504. */
        @WithDefault("60s")
        Duration requestTimeout();

        /** A client connection with no traffic either way for this long is closed. */
        @WithDefault("75s")
        Duration idleTimeout();

        /** Address of the data plane's admin channel (loopback: the token is its only guard). */
        @WithDefault("127.0.0.1")
        String adminHost();

        /** Port of the data plane's admin channel, served in role {@code proxy}, used in role {@code control}. */
        @WithDefault("7071")
        int adminPort();

        /**
         * How the proxy reaches replicas: {@code auto} (their bridge-network address where this
         * host reaches the engine's containers, else their published loopback port),
         * {@code container} or {@code loopback}. Read by the control plane, which makes the routes.
         */
        @WithDefault("auto")
        String upstream();
    }

    /** The REST API's access rules. */
    Api api();

    interface Api {
        /**
         * Bearer token for the API. When unset, Berth creates a random one at first start in
         * {@code <state-dir>/api-token} (mode 0600) and uses that.
         */
        Optional<String> token();

        /**
         * A file that holds the bearer token (a Swarm or Compose secret, e.g.
         * {@code /run/secrets/berth-api-token}), read at start; used when {@code token} is unset.
         * A file that cannot be read stops the start: falling back to a random token would lock
         * every client out.
         */
        Optional<String> tokenFile();

        /** Let GET requests through without a token (health endpoints are always open). */
        @WithDefault("false")
        boolean openReads();

        /** The manifests API: {@code /api/v1/manifests} (push, read, delete) and {@code /api/v1/plan}. */
        Manifests manifests();

        interface Manifests {
            /** Off: {@code /api/v1/manifests} answers 403 and nothing is written over the API (a git checkout owns the directory). */
            @WithDefault("true")
            boolean enabled();

            /**
             * The subdirectory of the manifests directory that the API reads and writes (created on
             * the first push), e.g. {@code pushed}; unset: the manifests directory itself.
             */
            Optional<String> subdir();
        }
    }

    /** Crash-loop backoff settings. */
    Backoff backoff();

    interface Backoff {
        @WithDefault("1s")
        Duration initial();

        @WithDefault("5m")
        Duration max();

        /** A container that ran this long before exiting starts its backoff afresh. */
        @WithDefault("10m")
        Duration reset();
    }
}
