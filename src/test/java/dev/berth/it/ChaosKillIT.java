package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.APP_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Container;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Berth as shipped, killed with SIGKILL at random points of rollouts, scale changes, REST
 * rollbacks and REST restarts, and started again after each kill. At every poll the Kubernetes
 * Deployment e2e invariants hold: never more than {@code replicas + maxSurge} containers (not
 * counting those leaving while a surge is allowed, as Kubernetes does not count terminating pods), and,
 * whenever Berth answers, never fewer than {@code replicas − maxUnavailable} ready replicas (the
 * proxy's members). While a scale change is under way, the bounds are taken over the replica
 * counts of the change (the larger for the surge, the smaller for availability). At the end, the
 * desired state holds: one container per ordinal of the last revision, no orphan, no duplicate,
 * and no spec ever got two revision numbers. A checksum written into the service's named volume
 * before the first kill reads the same from the last revision's replicas.
 *
 * <p>A table of update policies a user may write, each with its own kills (30 in all): the
 * common start-first case, one replica, {@code maxUnavailable} above 0 without surge,
 * percentages, and stop-first. The bounds are computed here, independently of Berth's
 * {@code RolloutMath}, as Kubernetes computes them (surge rounds up, unavailable down, both 0
 * makes unavailable 1), plus Berth's one stricter promise: while a surge is allowed, at least one
 * replica stays ready.
 *
 * <p>Seeded: {@code -Dberth.chaos.seed=N} replays the same schedule of operations and kill delays
 * (the engine's own timing still varies); {@code -Dberth.chaos.kills=N} sets how many kills each
 * case gets (default: the table's); {@code -Dberth.chaos.only=TEXT} runs only the policies whose
 * name contains TEXT (the 100-operation volume run: {@code -Dberth.chaos.kills=100
 * -Dberth.chaos.only=start-first,}: the common policy alone).
 */
class ChaosKillIT extends EngineTestBase {

    /**
     * One update policy: {@code replicas} scaled to and from {@code scaledTo}; {@code surge} and
     * {@code unavailable} as written in the manifest ("1", "50%").
     */
    record Policy(String name, int replicas, int scaledTo, String surge, String unavailable, boolean stopFirst,
            int kills) {
        @Override
        public String toString() {
            return name;
        }

        int maxSurge(int r) {
            return stopFirst ? 0 : resolve(surge, r, true);
        }

        int maxUnavailable(int r) {
            int u = Math.min(r, resolve(unavailable, r, false));
            return u == 0 && maxSurge(r) == 0 ? 1 : u;
        }

        int maxContainers(int r) {
            return r + maxSurge(r);
        }

        int minReady(int r) {
            int min = Math.max(0, r - maxUnavailable(r));
            return maxSurge(r) > 0 && r > 0 ? Math.max(1, min) : min;
        }

        String yaml() {
            return "{maxSurge: " + quoted(surge) + ", maxUnavailable: " + quoted(unavailable)
                    + (stopFirst ? ", order: stop-first" : "")
                    + ", minReadySeconds: 1, drainSeconds: 1, progressDeadlineSeconds: 60, monitorSeconds: 1}";
        }

        private static int resolve(String value, int r, boolean up) {
            if (!value.endsWith("%")) {
                return Integer.parseInt(value);
            }
            int pct = Integer.parseInt(value.substring(0, value.length() - 1));
            return up ? (pct * r + 99) / 100 : pct * r / 100;
        }

        private static String quoted(String v) {
            return v.endsWith("%") ? "\"" + v + "\"" : v;
        }
    }

    /** What the soak runs. */
    static final Policy COMMON = new Policy("2↔3 replicas, start-first, maxSurge 1, maxUnavailable 0", 2, 3, "1", "0",
            false, 10);

    static Stream<Policy> policies() {
        String only = System.getProperty("berth.chaos.only", "");
        return table().filter(p -> p.name().contains(only));
    }

    private static Stream<Policy> table() {
        return Stream.of(
                COMMON,
                new Policy("1↔2 replicas, start-first (the defaults)", 1, 2, "1", "0", false, 5),
                new Policy("2↔3 replicas, maxSurge 0, maxUnavailable 1", 2, 3, "0", "1", false, 5),
                new Policy("3↔4 replicas, maxSurge 50%, maxUnavailable 25%", 3, 4, "50%", "25%", false, 5),
                new Policy("2↔3 replicas, stop-first, maxUnavailable 1", 2, 3, "0", "1", true, 5));
    }

    volatile PackagedDaemon daemon;
    Thread poller;
    final List<String> violations = new CopyOnWriteArrayList<>();
    Policy policy;
    /** The replica counts the invariants are taken over: the last one, and those of a change still under way. */
    volatile int low;
    volatile int high;
    volatile int replicas;
    volatile boolean polling = true;

    enum Op { ROLLOUT, SCALE, ROLLOUT_AND_SCALE, ROLLBACK, RESTART }

    @AfterEach
    void stopAll() throws InterruptedException {
        polling = false;
        if (poller != null) {
            poller.join(10_000);
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void sigkillAtRandomPointsKeepsTheDeploymentInvariants(Policy policy) throws Exception {
        this.policy = policy;
        replicas = low = high = policy.replicas();
        long seed = Long.getLong("berth.chaos.seed", System.currentTimeMillis());
        int kills = Integer.getInteger("berth.chaos.kills", policy.kills());
        System.out.printf("ChaosKillIT [%s] seed=%d kills=%d (replay with -Dberth.chaos.seed=%d)%n", policy, seed, kills,
                seed);
        Random rnd = new Random(seed);
        int api = freePort();
        int port = freePort();
        int round = 0;
        write("web.yaml", manifest(policy, port, replicas, round));
        daemon = packagedDaemon(api).start();
        awaitConverged(0);
        String checksum = exec(running("web").get(0).getId(), "sh", "-c",
                "head -c 1048576 /dev/urandom > /data/payload && sha256sum /data/payload").strip();
        assertThat(checksum).as("payload written into the named volume").matches("[0-9a-f]{64} +/data/payload");
        poller = new Thread(this::poll, "chaos-poller");
        poller.start();

        List<String> schedule = new ArrayList<>();
        for (int kill = 1; kill <= kills; kill++) {
            Op op = Op.values()[rnd.nextInt(Op.values().length)];
            int delay = rnd.nextInt(2500);
            schedule.add(op + "+" + delay + "ms");
            switch (op) {
                case ROLLOUT -> write("web.yaml", manifest(policy, port, replicas, ++round));
                case SCALE -> scale(port, round);
                case ROLLOUT_AND_SCALE -> {
                    round++;
                    scale(port, round);
                }
                case ROLLBACK -> assertThat(daemon.post("/api/v1/services/web/rollback"))
                        .as("rollback answer").isIn(202, 409, -1);
                case RESTART -> assertThat(daemon.post("/api/v1/services/web/restart"))
                        .as("restart answer").isIn(202, 409, -1);
            }
            Thread.sleep(delay);
            daemon.kill();
            Thread.sleep(rnd.nextInt(500));
            daemon = packagedDaemon(api).start();
            await().atMost(EVENTUALLY).until(() -> daemon.service("web") != null);
            assertThat(violations).as("invariants after %s (seed %d, %s)", schedule, seed, policy).isEmpty();
        }

        // A last change, made when nothing else is going on, must complete.
        await().atMost(EVENTUALLY).until(() -> daemon.get("/api/v1/services/web/revisions") != null);
        int before = newestRevision();
        write("web.yaml", manifest(policy, port, replicas, ++round));
        awaitConverged(before);
        assertThat(violations).as("invariants (seed %d, %s, schedule %s)", seed, policy, schedule).isEmpty();

        List<Container> end = containers();
        JsonNode status = daemon.service("web");
        String hash = status.get("specHash").asText();
        assertThat(end).as("one container per ordinal of the last revision, nothing else of the project")
                .hasSize(replicas)
                .allSatisfy(c -> assertThat(c.getLabels())
                        .containsEntry("dev.berth.service", "web")
                        .containsEntry("dev.berth.spec-hash", hash))
                .extracting(c -> c.getLabels().get("dev.berth.ordinal"))
                .containsExactlyInAnyOrderElementsOf(ordinals(replicas));
        Map<String, Integer> revisionOf = new HashMap<>();
        for (JsonNode r : daemon.get("/api/v1/services/web/revisions")) {
            Integer earlier = revisionOf.put(r.get("specHash").asText(), r.get("revision").asInt());
            assertThat(earlier).as("spec %s has one revision number", r.get("specHash").asText()).isNull();
        }
        assertThat(revisionOf).as("the history keeps the running revision").containsEntry(hash, status.get("revision").asInt());
        assertThat(httpGet(port, "/").strip()).isEqualTo(round % 2 == 0 ? "v1" : "v2");
        for (Container c : end) {
            assertThat(exec(c.getId(), "sha256sum", "/data/payload").strip()).as("the named volume's data in %s",
                    c.getNames()[0]).isEqualTo(checksum);
        }
    }

    private void scale(int port, int round) throws Exception {
        int next = replicas == policy.replicas() ? policy.scaledTo() : policy.replicas();
        low = Math.min(low, next);
        high = Math.max(high, next);
        replicas = next;
        write("web.yaml", manifest(policy, port, next, round));
    }

    /** Every 150 ms: the container bound always, the availability bound whenever Berth answers. */
    private void poll() {
        while (polling) {
            try {
                List<Container> all = containers("web").stream()
                        .filter(c -> !"dead".equals(c.getState()) && !"removing".equals(c.getState())).toList();
                int max = Math.max(policy.maxContainers(low), policy.maxContainers(high));
                List<Container> staying = staying(all, max);
                if (staying.size() > max) {
                    violations.add(staying.size() + " containers not leaving > " + max + ": " + describe(all));
                }
                Set<String> slots = new HashSet<>();
                for (Container c : all) {
                    if ("running".equals(c.getState()) && !slots.add(c.getLabels().get("dev.berth.spec-hash") + "/"
                            + c.getLabels().get("dev.berth.ordinal"))) {
                        violations.add("two running containers of one revision and ordinal: " + describe(all));
                    }
                }
                JsonNode s = daemon.service("web");
                if (s != null) {
                    int ready = s.get("replicas").get("ready").asInt();
                    int min = Math.min(policy.minReady(low), policy.minReady(high));
                    if (ready < min) {
                        violations.add(ready + " ready < " + min + " (phase " + s.get("phase").asText() + ", "
                                + s.get("message").asText() + ")");
                    }
                    if (settled(s)) {
                        low = replicas;
                        high = replicas;
                    }
                }
                Thread.sleep(150);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a listing that raced a removal: poll again
            }
        }
    }

    /**
     * The listed containers that count against the surge: while one is allowed, those Berth is
     * not removing (as Kubernetes does not count terminating pods); without a surge, all of them
     * until they are gone.
     */
    private List<Container> staying(List<Container> listed, int max) throws InterruptedException {
        if (policy.maxSurge(low) == 0 && policy.maxSurge(high) == 0) {
            return listed;
        }
        return notLeaving(listed, max, this::leaving);
    }

    /**
     * Leaving (12-character ids): what the daemon's status says, and what its state directory
     * records as being removed (all there is while the daemon is down, killed mid-removal).
     */
    private Set<String> leaving() {
        Set<String> leaving = new HashSet<>();
        recordedLeaving().forEach(id -> leaving.add(id.substring(0, Math.min(12, id.length()))));
        JsonNode s = daemon.service("web");
        if (s != null && s.has("containers")) {
            for (JsonNode c : s.get("containers")) {
                if ("LEAVING".equals(c.path("health").asText())) {
                    leaving.add(c.get("id").asText());
                }
            }
        }
        return leaving;
    }

    private boolean settled(JsonNode s) {
        JsonNode r = s.get("replicas");
        return "Available".equals(s.get("phase").asText()) && r.get("desired").asInt() == replicas
                && r.get("running").asInt() == replicas && r.get("ready").asInt() == replicas;
    }

    /** Waits until a revision newer than {@code after} runs on every replica, all ready. */
    private void awaitConverged(int after) {
        await().atMost(EVENTUALLY.multipliedBy(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode s = daemon.service("web");
            return s != null && s.get("revision").asInt() > after && settled(s)
                    && s.get("replicas").get("updated").asInt() == replicas && containers("web").size() == replicas;
        });
    }

    private int newestRevision() {
        int newest = 0;
        for (JsonNode r : daemon.get("/api/v1/services/web/revisions")) {
            newest = Math.max(newest, r.get("revision").asInt());
        }
        return newest;
    }

    private static List<String> ordinals(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(Integer.toString(i));
        }
        return out;
    }

    private static String describe(List<Container> cs) {
        return cs.stream().map(c -> c.getNames()[0] + "(" + c.getState() + ")").toList().toString();
    }

    /**
     * Even rounds run v1, odd ones v2; the round is also in the environment, so every round is a
     * new revision. Short drains and probation keep the rounds quick.
     */
    static String manifest(Policy policy, int port, int replicas, int round) {
        return "apiVersion: berth.dev/v1\nkind: Volume\nmetadata: {name: data}\n---\n" + service("web", round % 2 == 0 ? APP_V1 : APP_V2, "  replicas: " + replicas + "\n  init: true\n"
                + "  env: {ROUND: \"" + round + "\"}\n"
                + "  ports: [{port: " + port + ", targetPort: 8080}]\n"
                + "  volumes: [{name: data, target: /data}]\n"
                + "  healthcheck: {http: {path: /cgi-bin/healthz, port: 8080}, interval: 300ms, timeout: 1s, retries: 2}\n"
                + "  update: " + policy.yaml() + "\n");
    }
}
