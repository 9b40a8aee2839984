package dev.berth.api;

import dev.berth.testing.EngineProjects;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Gives the application under test its own project and directories with one manifest in them,
 * and removes what Berth created when the application stops.
 */
public class EngineProjectResource implements QuarkusTestResourceLifecycleManager {
    static final String SECRET = "api-secret-" + UUID.randomUUID();
    static final String TOKEN = "test-token-" + UUID.randomUUID();
    static String project;
    static Path manifests;
    static int proxyPort;

    @Override
    public Map<String, String> start() {
        try {
            var dirs = EngineProjects.Dirs.create("berth-api-it");
            manifests = dirs.manifests();
            Files.writeString(dirs.secrets().resolve("token"), SECRET);
            project = EngineProjects.newName("api");
            proxyPort = dev.berth.testing.Ports.free();
            Files.writeString(manifests.resolve("web.yaml"), """
                    apiVersion: berth.dev/v1
                    kind: Service
                    metadata: {name: web}
                    spec:
                      image: berth-test/app:v1
                      replicas: 2
                      init: true
                      stopGracePeriod: 2s
                      secrets: [{name: token}]
                      ports: [{port: %d, targetPort: 8080}]
                      healthcheck: {http: {path: /cgi-bin/healthz, port: 8080}, interval: 300ms}
                    """.formatted(proxyPort));
            Files.writeString(manifests.resolve("broken.yaml"), """
                    apiVersion: berth.dev/v1
                    kind: Service
                    metadata: {name: broken}
                    spec:
                      image: berth-test/app:v1
                      replicas: -3
                    """);
            return EngineProjects.settings(project, dirs, TOKEN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        EngineProjects.remove(project);
    }
}
