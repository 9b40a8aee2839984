package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.APP_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The soak (not in CI): Berth as shipped on an engine of its own ({@link PrivateEngine}), for
 * {@code -Dberth.soak.minutes=N} minutes of random rollouts, scale changes, REST rollbacks and
 * restarts, replicas killed behind its back, and an engine restart every ten minutes (with and
 * without live-restore, in turn), under steady load through the proxy. Every 30 s it samples the
 * daemon's heap after a full GC, its threads and its open file descriptors; after a warm-up (the
 * first sixth of the run) they must stay flat: the last sample within a margin of the warm one.
 * The samples go to {@code target/soak.csv}.
 *
 * <p>Run: {@code .ci/test -Dit.test=SoakIT -Dberth.soak.minutes=60 -Dtest=NoSuchTest
 * -Dsurefire.failIfNoSpecifiedTests=false}. Without the property it is skipped.
 */
@EnabledIfSystemProperty(named = "berth.soak.minutes", matches = "[1-9][0-9]*")
class SoakIT extends EngineTestBase {
    static final Duration SAMPLE = Duration.ofSeconds(30);
    /** Between engine restarts: {@code -Dberth.soak.engine-restart-minutes} (10). */
    static final Duration ENGINE_RESTART = Duration.ofMinutes(Integer.getInteger("berth.soak.engine-restart-minutes", 10));

    PrivateEngine engine;
    DockerClient engineClient;
    PackagedDaemon daemon;

    record Sample(long second, long heapAfterGc, int threads, int fds, long rss) {
        String csv() {
            return second + "," + heapAfterGc + "," + threads + "," + fds + "," + rss;
        }
    }

    @AfterEach
    void stopAll() throws Exception {
        Path log = tmp.resolve("daemon.log");
        if (Files.exists(log)) {
            Files.copy(log, Path.of("target/soak-daemon.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (daemon != null) {
            daemon.close();
        }
        if (engineClient != null) {
            for (Container c : engineClient.listContainersCmd().withShowAll(true).exec()) {
                engineClient.removeContainerCmd(c.getId()).withForce(true).exec();
            }
            engineClient.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void heapThreadsAndFileDescriptorsStayFlat() throws Exception {
        int minutes = Integer.getInteger("berth.soak.minutes");
        long seed = Long.getLong("berth.soak.seed", System.currentTimeMillis());
        System.out.printf("SoakIT minutes=%d seed=%d%n", minutes, seed);
        Random rnd = new Random(seed);
        engine = PrivateEngine.launch(false);
        engine.load(APP_V1, APP_V2);
        engineClient = engine.client();
        int api = freePort();
        int port = freePort();
        int replicas = 2;
        int round = 0;
        write("web.yaml", ChaosKillIT.manifest(ChaosKillIT.COMMON, port, replicas, round));
        write("side.yaml", service("side", APP_V1, "  replicas: 1\n  init: true\n"));
        daemon = packagedDaemon(api, Map.of("DOCKER_HOST", engine.host)).start();
        await().atMost(EVENTUALLY).until(() -> available("web") && available("side"));

        List<Sample> samples = new ArrayList<>();
        Instant start = Instant.now();
        Instant end = start.plus(Duration.ofMinutes(minutes));
        Instant nextSample = start;
        Instant nextEngineRestart = start.plus(ENGINE_RESTART);
        boolean liveRestore = false;
        int ops = 0;
        int engineRestarts = 0;
        try (Load load = new Load(port, "/", 2)) {
            while (Instant.now().isBefore(end)) {
                if (!Instant.now().isBefore(nextSample)) {
                    samples.add(sample(Duration.between(start, Instant.now()).toSeconds()));
                    nextSample = nextSample.plus(SAMPLE);
                }
                if (!Instant.now().isBefore(nextEngineRestart)) {
                    engine.stop();
                    liveRestore = !liveRestore;
                    engine.start(liveRestore);
                    engineRestarts++;
                    nextEngineRestart = nextEngineRestart.plus(ENGINE_RESTART);
                }
                switch (rnd.nextInt(5)) {
                    case 0 -> write("web.yaml", ChaosKillIT.manifest(ChaosKillIT.COMMON, port, replicas, ++round));
                    case 1 -> {
                        replicas = 1 + rnd.nextInt(3);
                        write("web.yaml", ChaosKillIT.manifest(ChaosKillIT.COMMON, port, replicas, round));
                    }
                    case 2 -> daemon.post("/api/v1/services/web/rollback");
                    case 3 -> daemon.post("/api/v1/services/" + (rnd.nextBoolean() ? "web" : "side") + "/restart");
                    default -> {
                        List<Container> running = engineClient.listContainersCmd()
                                .withLabelFilter(Map.of("dev.berth.project", project)).exec();
                        if (!running.isEmpty()) {
                            try {
                                engineClient.killContainerCmd(running.get(rnd.nextInt(running.size())).getId()).exec();
                            } catch (com.github.dockerjava.api.exception.ConflictException
                                    | com.github.dockerjava.api.exception.NotFoundException raced) {
                                // it stopped or went between the listing and the kill
                            }
                        }
                    }
                }
                ops++;
                Thread.sleep(4000 + rnd.nextInt(8000));
            }
            System.out.printf("SoakIT: %d operations, %d engine restarts, %d requests ok, %d failed%n", ops,
                    engineRestarts, load.ok.get(), load.failures.size());
        }
        samples.add(sample(Duration.between(start, Instant.now()).toSeconds()));

        Path csv = Path.of("target/soak.csv");
        List<String> lines = new ArrayList<>(List.of("second,heap_after_gc_bytes,threads,fds,rss_bytes"));
        samples.forEach(s -> lines.add(s.csv()));
        Files.write(csv, lines);
        Sample warm = samples.get(Math.max(1, samples.size() / 6));
        Sample last = samples.get(samples.size() - 1);
        System.out.printf("SoakIT warm %s, last %s, max heap %d, max threads %d, max fds %d (samples in %s)%n",
                warm, last, samples.stream().mapToLong(Sample::heapAfterGc).max().orElse(0),
                samples.stream().mapToInt(Sample::threads).max().orElse(0),
                samples.stream().mapToInt(Sample::fds).max().orElse(0), csv.toAbsolutePath());
        assertThat(last.heapAfterGc()).as("heap after GC").isLessThanOrEqualTo(warm.heapAfterGc() * 3 / 2 + (16 << 20));
        assertThat(last.threads()).as("threads").isLessThanOrEqualTo(warm.threads() + 10);
        assertThat(last.fds()).as("open file descriptors").isLessThanOrEqualTo(warm.fds() + 50);

        // The last change must converge: the daemon is still in control after all of it.
        write("web.yaml", ChaosKillIT.manifest(ChaosKillIT.COMMON, port, replicas, ++round));
        try {
            await().atMost(EVENTUALLY.multipliedBy(2)).until(() -> available("web") && available("side"));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not converged after the soak; web: " + daemon.service("web") + "; side: "
                    + daemon.service("side") + "; daemon log kept in target/soak-daemon.log", e);
        }
    }

    private boolean available(String service) {
        JsonNode s = daemon.service(service);
        return s != null && "Available".equals(s.get("phase").asText());
    }

    /** Heap after a full GC (jcmd GC.run, then Berth's own jvm_memory_used_bytes), threads, fds, RSS. */
    private Sample sample(long second) throws IOException, InterruptedException {
        long pid = daemon.pid();
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process gc = new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        gc.waitFor(60, TimeUnit.SECONDS);
        long heap = 0;
        HttpResponse<String> m = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + daemon.api + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        for (String line : m.body().split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                heap += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        int threads = 0;
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.substring(8).strip());
            } else if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024;
            }
        }
        int fds;
        try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = (int) list.count();
        }
        return new Sample(second, heap, threads, fds, rss);
    }
}
