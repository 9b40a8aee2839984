package dev.berth.api;

import dev.berth.testing.AfterEngineProject;
import dev.berth.testing.EngineProjects;
import dev.berth.testing.OwnProjectResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * A project of its own for the hostile-input tests: service {@code web} (2 replicas behind the
 * proxy) mounting a secret and a config with distinctive values, and user-controlled strings
 * carrying markup — a label, manifest file names and an unknown field name.
 * Removes what Berth created when the application stops. Restricted to the classes that name it.
 */
public class HostileProjectResource extends OwnProjectResource implements AfterEngineProject {
    /** Markup that runs script if any page parses it as HTML; each sets window.pwned. */
    static final String SCRIPT = "<script>window.pwned=1</script>";
    static final String IMG = "\"'><img src=x onerror=window.pwned=2>";
    static final String MARKED_FILE = "x" + IMG.replace("/", "") + ".yaml";
    /**
     * A rejected file whose name carries markup: its problem and its ManifestRejected event quote
     * it. (An image name cannot carry markup: the manifest's image grammar refuses it.)
     */
    static final String BROKEN_FILE = "y" + IMG.replace("/", "") + ".yaml";
    static final String SECRET = "sekret-" + UUID.randomUUID();
    static final String SECRET2 = "sekret-rotated-" + UUID.randomUUID();
    static final String CONFIG = "config-marker-" + UUID.randomUUID();
    static final String TOKEN = "test-token-" + UUID.randomUUID();
    static String project;
    static Path manifests;
    static Path secrets;
    static Path state;
    static int proxyPort;

    public HostileProjectResource() {
        super("hostile", "berth-hostile-it");
    }

    @Override
    protected Map<String, String> prepare(String name, EngineProjects.Dirs dirs) throws IOException {
        project = name;
        manifests = dirs.manifests();
        secrets = dirs.secrets();
        state = dirs.state();
        Files.writeString(secrets.resolve("db-password"), SECRET);
        Files.writeString(manifests.resolve("app.conf"), "greeting=" + CONFIG + "\n");
        proxyPort = dev.berth.testing.Ports.free();
        Files.writeString(manifests.resolve("web.yaml"), web("berth-test/app:v1", "one"));
        Files.writeString(manifests.resolve(MARKED_FILE), """
                apiVersion: berth.dev/v1
                kind: Service
                metadata: {name: marked}
                spec:
                  image: berth-test/app:v1
                """);
        Files.writeString(manifests.resolve(BROKEN_FILE), """
                apiVersion: berth.dev/v1
                kind: Service
                metadata: {name: broken}
                spec:
                  image: berth-test/app:v1
                  '%s': 1
                """.formatted(SCRIPT));
        return EngineProjects.settings(project, dirs, TOKEN);
    }

    /** web's manifest with {@code image} and an env value that makes a new revision when changed. */
    static String web(String image, String flavour) {
        return """
                apiVersion: berth.dev/v1
                kind: Service
                metadata: {name: web, labels: {team: '%s'}}
                spec:
                  image: %s
                  replicas: 2
                  init: true
                  stopGracePeriod: 1s
                  env: {FLAVOUR: %s}
                  secrets: [{name: db-password}]
                  configs: [{source: app.conf, target: /etc/app.conf}]
                  ports: [{port: %d, targetPort: 8080}]
                  healthcheck: {http: {path: /cgi-bin/healthz, port: 8080}, interval: 300ms}
                  update: {progressDeadlineSeconds: 30}
                """.formatted(IMG.replace("'", "''") + SCRIPT, image, flavour, proxyPort);
    }

    /** Replaces web.yaml atomically, as an editor or a git checkout would. */
    static void writeWeb(String image, String flavour) throws IOException {
        Path tmp = manifests.resolve(".web.yaml.tmp");
        Files.writeString(tmp, web(image, flavour));
        Files.move(tmp, manifests.resolve("web.yaml"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
