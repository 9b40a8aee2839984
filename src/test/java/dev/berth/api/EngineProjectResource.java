package dev.berth.api;

import dev.berth.testing.EngineProjects;
import dev.berth.testing.OwnProjectResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Gives the application under test its own project and directories with one manifest in them,
 * and removes what Berth created when the application stops.
 */
public class EngineProjectResource extends OwnProjectResource {
    static final String SECRET = "api-secret-" + UUID.randomUUID();
    static final String TOKEN = "test-token-" + UUID.randomUUID();
    static String project;
    static Path manifests;
    static int proxyPort;

    public EngineProjectResource() {
        super("api", "berth-api-it");
    }

    @Override
    protected Map<String, String> prepare(String name, EngineProjects.Dirs dirs) throws IOException {
        project = name;
        manifests = dirs.manifests();
        Files.writeString(dirs.secrets().resolve("token"), SECRET);
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
    }
}
