package dev.berth.it;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import dev.berth.app.Berth;
import dev.berth.app.Settings;
import dev.berth.engine.DockerClients;
import dev.berth.desired.BackoffPolicy;
import dev.berth.status.ServiceStatus;
import dev.berth.testing.ContainerOutput;
import dev.berth.testing.EngineProjects;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a real {@link Berth} against the real engine, as its own project (so tests cannot touch
 * each other's containers), with a manifests, state and secrets directory of its own. A ticker
 * stands in for the daemon's scheduled resync. Everything of the project is removed afterwards.
 */
abstract class EngineTestBase {
    static final Duration EVENTUALLY = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    Path manifests;
    Path state;
    Path secrets;
    String project;
    Berth berth;
    DockerClient docker;
    private ScheduledExecutorService ticker;

    @BeforeEach
    void setUpEngine() throws IOException {
        manifests = Files.createDirectories(tmp.resolve("manifests"));
        state = Files.createDirectories(tmp.resolve("state"));
        secrets = Files.createDirectories(tmp.resolve("secrets"));
        project = EngineProjects.newName("it");
        docker = DockerClients.client(DockerClients.config(Optional.empty()));
    }

    Settings settings() {
        return new Settings(manifests, state, secrets, project, "127.0.0.1", Duration.ofSeconds(2),
                Duration.ofMillis(200), false, Optional.empty(), Duration.ofMinutes(2),
                new BackoffPolicy(Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofMinutes(10)));
    }

    Berth startBerth() {
        return startBerth(settings());
    }

    Berth startBerth(Settings s) {
        berth = new Berth(s).start();
        ticker = Executors.newSingleThreadScheduledExecutor();
        Berth b = berth;
        ticker.scheduleAtFixedRate(b::resync, 2, 2, TimeUnit.SECONDS);
        return berth;
    }

    /** Without the periodic resync: only file changes and engine events wake the loop. */
    Berth startBerthWithoutResync() {
        berth = new Berth(settings()).start();
        return berth;
    }

    void stopBerth() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
        if (berth != null) {
            berth.close();
            berth = null;
        }
    }

    @AfterEach
    void tearDownEngine() throws Exception {
        stopBerth();
        // Berth's own background removals may still be finishing: a container gone meanwhile is
        // fine, one whose removal is in progress is waited for.
        await().atMost(EVENTUALLY).ignoreException(com.github.dockerjava.api.exception.ConflictException.class)
                .until(() -> {
                    for (Container c : containers()) {
                        try {
                            docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                        } catch (com.github.dockerjava.api.exception.NotFoundException gone) {
                            // removed by Berth meanwhile
                        }
                    }
                    return containers().isEmpty();
                });
        EngineProjects.removeNetworks(docker, project);
        EngineProjects.removeImagePins(docker, project);
        var vols = docker.listVolumesCmd().exec().getVolumes();
        if (vols != null) {
            vols.stream().filter(v -> v.getName().startsWith(project + "_"))
                    .forEach(v -> docker.removeVolumeCmd(v.getName()).exec());
        }
        docker.close();
    }

    /** Berth as shipped, in its own JVM, on this test's directories and project; not started yet. */
    PackagedDaemon packagedDaemon(int api) {
        return packagedDaemon(api, Map.of());
    }

    /** @param extra more environment, e.g. DOCKER_HOST of a {@link PrivateEngine} */
    PackagedDaemon packagedDaemon(int api, Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("BERTH_MANIFESTS_DIR", manifests.toString(),
                "BERTH_STATE_DIR", state.toString(), "BERTH_SECRETS_DIR", secrets.toString(), "BERTH_PROJECT", project,
                "BERTH_PUBLISH_ADDRESS", "127.0.0.1", "BERTH_DEBOUNCE", "200ms", "BERTH_RESYNC_INTERVAL", "2s"));
        env.putAll(extra);
        return new PackagedDaemon(env, tmp.resolve("daemon.log"), api, "it-token");
    }

    // ---- manifests ----

    void write(String file, String yaml) throws IOException {
        replace(manifests.resolve(file), yaml);
    }

    /**
     * Writes a file as careful users and editors do, by rename: a pass that runs meanwhile
     * (a probe or an engine event may start one at any time) sees the old or the new content,
     * never a truncated file.
     */
    static void replace(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Path tmpFile = p.resolveSibling("." + p.getFileName() + ".tmp");
        Files.writeString(tmpFile, content);
        Files.move(tmpFile, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static String service(String name, String image, String extra) {
        return "apiVersion: berth.dev/v1\nkind: Service\nmetadata: {name: " + name + "}\nspec:\n  image: " + image
                + "\n  stopGracePeriod: 2s\n" + extra;
    }

    /**
     * Service {@code web}: 2 replicas of {@code image} behind the proxy on {@code port}, probed over
     * HTTP, start-first; {@code update} adds to the update map (", minReadySeconds: 2"), {@code extra}
     * adds spec lines.
     */
    static String proxiedWeb(String image, int port, String update, String extra) {
        return proxiedWeb(image, port, 2, "maxSurge: 1, maxUnavailable: 0, drainSeconds: 10", update, extra);
    }

    /** {@code policy}: the update fields that the other overload fixes (maxSurge, maxUnavailable, drainSeconds). */
    static String proxiedWeb(String image, int port, int replicas, String policy, String update, String extra) {
        return service("web", image, "  replicas: " + replicas + "\n  init: true\n"
                + "  ports: [{port: " + port + ", targetPort: 8080}]\n"
                + "  healthcheck: {http: {path: /cgi-bin/healthz, port: 8080}, interval: 300ms, timeout: 1s, retries: 2}\n"
                + "  update: {" + policy + ", progressDeadlineSeconds: 60, monitorSeconds: 3" + update + "}\n" + extra);
    }

    // ---- observing ----

    List<Container> containers() {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("dev.berth.project", project)).exec();
    }

    List<Container> containers(String service) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("dev.berth.project", project, "dev.berth.service", service)).exec();
    }

    List<Container> running(String service) {
        return containers(service).stream().filter(c -> "running".equals(c.getState())).toList();
    }

    /**
     * The containers of {@code listed} (an engine listing, taken before this call) that Berth is
     * not removing, by {@code leaving} (12-character ids) read after the listing. Leaving is final,
     * so a container leaving then is leaving now; but the pass that created a listed container
     * may not have published its status yet (it marks what it retires before it creates), so
     * more than {@code bound} are read again once that pass must have published.
     */
    static List<Container> notLeaving(List<Container> listed, int bound, java.util.function.Supplier<java.util.Set<String>> leaving)
            throws InterruptedException {
        List<Container> staying = without(listed, leaving.get());
        if (staying.size() > bound) {
            Thread.sleep(500);
            staying = without(listed, leaving.get());
        }
        return staying;
    }

    private static List<Container> without(List<Container> listed, java.util.Set<String> leaving) {
        return listed.stream().filter(c -> !leaving.contains(c.getId().substring(0, 12))).toList();
    }

    /** The 12-character ids of the service's containers that the in-process Berth's status says are LEAVING. */
    java.util.Set<String> leavingInStatus(String service) {
        return status(service).map(s -> s.containers().stream().filter(c -> "LEAVING".equals(c.health()))
                .map(ServiceStatus.ReplicaStatus::id).collect(java.util.stream.Collectors.toSet())).orElse(java.util.Set.of());
    }

    /** The full ids of the containers the daemon records as being removed ({@code leaving} in its state directory). */
    java.util.Set<String> recordedLeaving() {
        try {
            return java.util.Set.copyOf(Files.readAllLines(state.resolve("leaving")));
        } catch (IOException e) {
            return java.util.Set.of();
        }
    }

    Optional<ServiceStatus> status(String service) {
        return berth.status().service(service);
    }

    ServiceStatus awaitStatus(String service, java.util.function.Predicate<ServiceStatus> p) {
        try {
            await().atMost(EVENTUALLY).pollInterval(Duration.ofMillis(200))
                    .until(() -> status(service).filter(p).isPresent());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(service + " never reached the expected status; " + whereThingsStand(service), e);
        }
        return status(service).orElseThrow();
    }

    /** What a timed-out wait saw last: the status, the containers and the newest events. */
    String whereThingsStand(String service) {
        StringBuilder out = new StringBuilder("last status: ").append(status(service).orElse(null));
        out.append("\ncontainers:");
        containers(service).forEach(c -> out.append("\n  ").append(String.join(",", c.getNames())).append(' ')
                .append(c.getState()).append(' ').append(c.getStatus()));
        out.append("\nevents:");
        var events = berth.events().list(service);
        events.subList(Math.max(0, events.size() - 30), events.size()).forEach(ev -> out.append("\n  ").append(ev));
        return out.toString();
    }

    ServiceStatus awaitAvailable(String service, int replicas) {
        return awaitStatus(service, s -> s.phase().name().equals("Available") && s.replicas().running() == replicas
                && s.containers().size() == replicas);
    }

    /** Waits for {@code n} more completed passes, so that "nothing happened" is a real observation. */
    void awaitPasses(int n) {
        long target = berth.loop().passes() + n;
        for (int i = 0; i < n; i++) {
            berth.resync();
            long want = berth.loop().passes() + 1;
            await().atMost(EVENTUALLY).until(() -> berth.loop().passes() >= want);
        }
        await().atMost(EVENTUALLY).until(() -> berth.loop().passes() >= target);
    }

    InspectContainerResponse inspect(String id) {
        return docker.inspectContainerCmd(id).exec();
    }

    /** Runs a command inside a container and returns its stdout+stderr. */
    String exec(String containerId, String... cmd) throws InterruptedException {
        return ContainerOutput.exec(docker, containerId, cmd);
    }

    String logs(String containerId) throws InterruptedException {
        return ContainerOutput.logs(docker, containerId);
    }

    static String httpGet(int port, String path) throws IOException, InterruptedException {
        HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    static int freePort() {
        return dev.berth.testing.Ports.free();
    }
}
