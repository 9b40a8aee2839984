package dev.berth.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds the docker-java client the way the docker CLI finds its engine: {@code DOCKER_HOST}
 * (default the local socket), TLS settings from the environment, registry credentials from the
 * Docker config directory ({@code DOCKER_CONFIG}, default ~/.docker).
 */
public final class DockerClients {
    private DockerClients() {}

    public static DockerClientConfig config(Optional<String> dockerConfigDir) {
        return config(dockerConfigDir, Optional.empty());
    }

    /** As {@link #config(Optional)}, with {@code dockerHost} (e.g. {@code unix:///tmp/x.sock}) over DOCKER_HOST. */
    public static DockerClientConfig config(Optional<String> dockerConfigDir, Optional<String> dockerHost) {
        DefaultDockerClientConfig.Builder b = DefaultDockerClientConfig.createDefaultConfigBuilder();
        dockerConfigDir.ifPresent(b::withDockerConfig);
        dockerHost.ifPresent(b::withDockerHost);
        return b.build();
    }

    /** The engine's unix socket ({@code DOCKER_HOST=unix://…}), or null for a tcp engine. */
    public static java.nio.file.Path socket(DockerClientConfig config) {
        java.net.URI host = config.getDockerHost();
        return "unix".equals(host.getScheme()) ? java.nio.file.Path.of(host.getPath()) : null;
    }

    /** A client that waits for answers as long as they take (streams, tests). */
    public static DockerClient client(DockerClientConfig config) {
        return client(config, null);
    }

    /**
     * A client whose requests fail when the engine has not started to answer within {@code bound}
     * (null: no bound; see {@link BoundedHttpClient}).
     */
    public static DockerClient client(DockerClientConfig config, Duration bound) {
        DockerHttpClient http = transport(config, 32);
        return DockerClientImpl.getInstance(config, bound == null ? http : new BoundedHttpClient(http, bound));
    }

    /**
     * The HTTP transport to the engine, at most {@code maxConnections} open at once. A unix socket
     * gets no TLS ({@link dev.berth.net.NoTls}) whatever the environment says, as the docker CLI does.
     */
    static DockerHttpClient transport(DockerClientConfig config, int maxConnections) {
        return new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(socket(config) != null ? dev.berth.net.NoTls::context : config.getSSLConfig())
                .maxConnections(maxConnections)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
    }
}
