package dev.berth.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.app.Backend;
import dev.berth.app.Berth;
import dev.berth.app.Settings;
import dev.berth.desired.BackoffPolicy;
import dev.berth.engine.DockerClients;
import dev.berth.engine.SwarmApi;
import dev.berth.status.ServiceStatus;
import dev.berth.testing.EngineProjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Berth with {@code berth.backend=swarm} on the test swarm that {@code .ci/lib/swarm.sh} builds
 * ({@code BERTH_TEST_SWARM_HOST}, its manager). Without that variable the tests are skipped, unless
 * {@code BERTH_TEST_REQUIRE_SWARM=1} (as in CI), where a missing swarm fails them. Everything of
 * the test's project is removed from the swarm afterwards.
 */
abstract class SwarmTestBase {
    static final Duration EVENTUALLY = Duration.ofSeconds(120);
    static final String HOST = System.getenv("BERTH_TEST_SWARM_HOST");

    @TempDir
    Path tmp;
    Path manifests;
    Path secrets;
    String project;
    Berth berth;
    SwarmApi swarm;
    private ScheduledExecutorService ticker;

    @BeforeEach
    void setUpSwarm() throws IOException {
        if (HOST == null || HOST.isBlank()) {
            if ("1".equals(System.getenv("BERTH_TEST_REQUIRE_SWARM"))) {
                throw new IllegalStateException("BERTH_TEST_SWARM_HOST is not set: .ci/lib/swarm.sh swarm_up makes it");
            }
            Assumptions.abort("no test swarm (BERTH_TEST_SWARM_HOST unset; .ci/swarm up makes one)");
        }
        manifests = Files.createDirectories(tmp.resolve("manifests"));
        secrets = Files.createDirectories(tmp.resolve("secrets"));
        project = EngineProjects.newName("sw");
        swarm = new SwarmApi(DockerClients.config(Optional.empty(), Optional.of(HOST)), Duration.ofSeconds(30));
    }

    Settings settings() {
        return new Settings(manifests, tmp.resolve("state"), secrets, project, "127.0.0.1", Duration.ofSeconds(2),
                Duration.ofMillis(200), false, Optional.empty(), Duration.ofMinutes(2),
                new BackoffPolicy(Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofMinutes(10)))
                .withBackend(Backend.SWARM);
    }

    Berth startBerth() {
        return startBerth(settings(), HOST);
    }

    /** Berth with {@code settings} on the manager at {@code dockerHost} (a relay in front of HOST). */
    Berth startBerth(Settings settings, String dockerHost) {
        berth = Berth.onEngine(settings, dockerHost).start();
        ticker = Executors.newSingleThreadScheduledExecutor();
        Berth b = berth;
        ticker.scheduleAtFixedRate(b::resync, 2, 2, TimeUnit.SECONDS);
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
    void tearDownSwarm() throws Exception {
        stopBerth();
        if (swarm == null) {
            return;
        }
        Map<String, String> mine = Map.of("dev.berth.project", project);
        // Tasks go away after their service; networks and objects in use by them refuse until then.
        // Services are removed on every round: a Berth still stopping (a stack's task) may make one again.
        await().atMost(EVENTUALLY).ignoreExceptions().until(() -> {
            for (JsonNode s : swarm.services(mine)) {
                swarm.removeService(s.path("ID").asText());
            }
            for (JsonNode n : swarm.networks(mine)) {
                swarm.removeNetwork(n.path("Id").asText());
            }
            for (JsonNode o : swarm.secrets(mine)) {
                swarm.removeObject("secrets", o.path("ID").asText());
            }
            for (JsonNode o : swarm.configs(mine)) {
                swarm.removeObject("configs", o.path("ID").asText());
            }
            return swarm.services(mine).isEmpty() && swarm.networks(mine).isEmpty() && swarm.secrets(mine).isEmpty()
                    && swarm.configs(mine).isEmpty();
        });
        swarm.close();
    }

    /**
     * A client of test node {@code hostname}'s own engine ({@code berth-sw2}): its socket, which
     * {@code .ci/lib/swarm.sh} keeps at {@code /run/berth-swarm/<node>/docker.sock} on this host.
     */
    static com.github.dockerjava.api.DockerClient nodeEngine(String hostname) {
        return DockerClients.client(DockerClients.config(Optional.empty(),
                Optional.of("unix:///run/berth-swarm/" + hostname + "/docker.sock")));
    }

    /** Runs a function of {@code .ci/lib/swarm.sh} ("swarm_node_kill 2"); fails when it does. */
    static void swarmLib(String command) throws IOException, InterruptedException {
        Path lib = Path.of(".ci/lib/swarm.sh").toAbsolutePath();
        Process p = new ProcessBuilder(List.of("bash", "-c", "source " + lib + " && " + command))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
    }

    void write(String file, String yaml) throws IOException {
        EngineTestBase.replace(manifests.resolve(file), yaml);
    }

    Optional<ServiceStatus> status(String service) {
        return berth.status().service(service);
    }

    ServiceStatus awaitStatus(String service, Predicate<ServiceStatus> p) {
        try {
            await().atMost(EVENTUALLY).pollInterval(Duration.ofMillis(250))
                    .until(() -> status(service).filter(p).isPresent());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(service + " never reached the expected status; last: " + status(service).orElse(null)
                    + "\nproblems: " + berth.status().problems() + "\nevents: " + berth.events().list(service), e);
        }
        return status(service).orElseThrow();
    }

    ServiceStatus awaitAvailable(String service, int revision, int replicas) {
        return awaitStatus(service, s -> s.phase().name().equals("Available") && s.revision() == revision
                && s.replicas().running() == replicas && s.replicas().updated() == replicas);
    }

    /** The service's live spec as the manager keeps it. */
    JsonNode liveService(String service) {
        List<JsonNode> l = swarm.services(Map.of("dev.berth.project", project, "dev.berth.service", service));
        return l.isEmpty() ? null : l.get(0);
    }

    /** The service's spec version once Berth has stopped writing it (3 s without a change). */
    long settledVersion(String service) throws InterruptedException {
        long last = -1;
        long deadline = System.nanoTime() + EVENTUALLY.toNanos();
        while (System.nanoTime() < deadline) {
            long v = liveService(service).path("Version").path("Index").asLong();
            if (v == last) {
                return v;
            }
            last = v;
            Thread.sleep(3000);
        }
        throw new AssertionError(service + " kept changing");
    }
}
