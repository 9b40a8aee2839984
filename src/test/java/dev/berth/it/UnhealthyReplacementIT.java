package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import dev.berth.events.Event;
import dev.berth.status.ServiceStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import dev.berth.rollout.RolloutController;

/**
 * A replica that stays unhealthy is replaced start-first under a new container name: no create
 * collides with the predecessor still draining (no 409 "already in use"), and the service never
 * shows Failed or an engine error meanwhile. During an outage that makes every replica unhealthy
 * (a shared file standing in for a dependency that is down), replicas are replaced one at a time
 * with a growing backoff, never all at once, and the service comes back whole afterwards.
 */
class UnhealthyReplacementIT extends EngineTestBase {
    /**
     * How the engine's refusal of a name still in use reads in an event: its words, or its status
     * as a number on its own (a bare "409" also turns up inside timestamps' nanoseconds).
     */
    private static final String NAME_CONFLICT = "already in use|Conflict|\\b409\\b";


    private static final String PROBE =
            "  healthcheck: {http: {path: /cgi-bin/healthz, port: 8080}, interval: 300ms, timeout: 1s, retries: 2}\n";

    @Test
    void aReplicaMadeUnhealthyIsReplacedUnderANewNameWithoutAConflict() throws Exception {
        int port = freePort();
        write("web.yaml", service("web", APP_V1, "  replicas: 2\n  init: true\n"
                + "  ports: [{port: " + port + ", targetPort: 8080}]\n" + PROBE
                + "  update: {drainSeconds: 2, monitorSeconds: 1}\n"));
        startBerth();
        pastProbation();
        Container sick = running("web").get(0);
        String ordinal = sick.getLabels().get("dev.berth.ordinal");
        String sickName = sick.getNames()[0].substring(1);
        assertThat(sickName).matches(Pattern.quote(project + "-web-r1-" + ordinal + "-") + "[a-z0-9]{5}");

        try (Sampler seen = new Sampler("web")) {
            exec(sick.getId(), "touch", "/tmp/unhealthy");
            await().atMost(EVENTUALLY).until(() -> containers("web").stream().noneMatch(c -> c.getId().equals(sick.getId())));
            awaitStatus("web", s -> s.phase().name().equals("Available") && s.replicas().ready() == 2);
            assertThat(seen.phases).as("phases while replacing").doesNotContain("Failed");
            assertThat(seen.messages).as("status messages while replacing")
                    .noneMatch(m -> m.contains("engine error") || m.contains("already in use"));
        }

        Container successor = containers("web").stream().filter(c -> ordinal.equals(c.getLabels().get("dev.berth.ordinal")))
                .findFirst().orElseThrow();
        assertThat(successor.getNames()[0].substring(1)).isNotEqualTo(sickName)
                .startsWith(project + "-web-r1-" + ordinal + "-");
        assertThat(successor.getLabels()).containsEntry("dev.berth.container-name", successor.getNames()[0].substring(1));
        List<Event> events = berth.events().list("web");
        assertThat(events).noneSatisfy(e -> assertThat(e.message()).containsPattern(NAME_CONFLICT));
        assertThat(events).noneSatisfy(e -> assertThat(e.reason()).isIn("Failed", "PhaseFailed"));
        // Start-first: the successor was created before the unhealthy one was removed.
        int created = indexOf(events, "CreateContainer", "replacing " + sickName);
        int removed = indexOf(events, "RemoveContainer", "remove " + sickName);
        assertThat(created).as("successor created").isNotNegative();
        assertThat(removed).as("unhealthy one removed after its successor").isGreaterThan(created);
    }

    @Test
    void anOutageOfEveryReplicaIsRiddenOutOneReplicaAtATimeWithBackoff() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        // maxSurge 2 would allow two successors at once: only the one-at-a-time rule keeps it to one.
        write("web.yaml", service("web", APP_V1, "  replicas: 2\n  init: true\n"
                + "  volumes: [{source: " + shared + ", target: /tmp}]\n" + PROBE
                + "  update: {maxSurge: 2, drainSeconds: 1, monitorSeconds: 1}\n"));
        startBerth();
        pastProbation();
        Set<String> before = Set.copyOf(running("web").stream().map(Container::getId).toList());

        try (Sampler seen = new Sampler("web")) {
            Files.writeString(shared.resolve("unhealthy"), "down\n");
            // Several replacements happen, on a growing count (the backoff's restart number).
            await().atMost(EVENTUALLY).until(() -> highestReplacement(berth.events().list("web")) >= 3);
            assertThat(seen.maxRunning.get()).as("containers at once (replicas 2 + one successor)").isLessThanOrEqualTo(3);
            assertThat(seen.phases).as("phases during the outage").doesNotContain("Failed");
            assertThat(seen.messages).noneMatch(m -> m.contains("engine error") || m.contains("already in use"));

            Files.delete(shared.resolve("unhealthy"));
            awaitStatus("web", s -> s.phase().name().equals("Available") && s.replicas().ready() == 2
                    && s.containers().size() == 2);
            assertThat(seen.maxRunning.get()).isLessThanOrEqualTo(3);
        }
        assertThat(running("web")).extracting(Container::getId).doesNotContainAnyElementsOf(before);
        List<Event> events = berth.events().list("web");
        assertThat(events).noneSatisfy(e -> assertThat(e.message()).containsPattern(NAME_CONFLICT));
        long replacements = events.stream().filter(e -> e.reason().equals("CreateContainer")
                && e.message().contains("replacing")).count();
        assertThat(replacements).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aContainerNamedBeforeSuffixesIsAdoptedAfterAnUpgrade() throws Exception {
        write("web.yaml", service("web", APP_V1, "  replicas: 1\n  init: true\n"));
        startBerth();
        awaitAvailable("web", 1);
        stopBerth();
        // Make the replica look as an older Berth made it: the bare name, no recorded name label.
        Container made = running("web").get(0);
        var i = inspect(made.getId());
        java.util.Map<String, String> labels = new java.util.HashMap<>(i.getConfig().getLabels());
        labels.remove("dev.berth.container-name");
        String legacy = project + "-web-r1-1";
        docker.removeContainerCmd(made.getId()).withForce(true).exec();
        String old = docker.createContainerCmd(i.getImageId()).withName(legacy).withLabels(labels)
                .withEnv(i.getConfig().getEnv()).withHostConfig(i.getHostConfig()).withAliases("web").exec().getId();
        docker.startContainerCmd(old).exec();

        startBerth();
        awaitAvailable("web", 1);
        awaitPasses(3);
        assertThat(containers("web")).singleElement().satisfies(c -> {
            assertThat(c.getId()).isEqualTo(old);
            assertThat(c.getNames()[0]).isEqualTo("/" + legacy);
        });
        assertThat(berth.events().list("web")).noneSatisfy(e -> assertThat(e.reason()).isIn("CreateContainer",
                "RemoveContainer"));
    }

    /**
     * Waits until web is whole and its rollout complete for longer than monitorSeconds: within that
     * probation an unhealthy replica fails the rollout (that is RolloutController's contract); after
     * it, an unhealthy replica is drift, which this test is about.
     */
    private void pastProbation() {
        ServiceStatus s = awaitStatus("web", x -> x.phase().name().equals("Available") && x.replicas().ready() == 2
                && x.rollout() != null && "COMPLETE".equals(x.rollout().state()) && x.rollout().completedAt() != null);
        java.time.Instant after = s.rollout().completedAt().plusSeconds(2);
        await().atMost(EVENTUALLY).until(() -> java.time.Instant.now().isAfter(after));
        awaitPasses(1);
    }

    private static final Pattern REPLACEMENT = Pattern.compile("replacement (\\d+)\\)");

    private static int highestReplacement(List<Event> events) {
        int max = 0;
        for (Event e : events) {
            Matcher m = REPLACEMENT.matcher(e.message());
            if (e.reason().equals("CreateContainer") && m.find()) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        }
        return max;
    }

    private static int indexOf(List<Event> events, String reason, String text) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).reason().equals(reason) && events.get(i).message().contains(text)) {
                return i;
            }
        }
        return -1;
    }

    /** Samples the status and the running containers every 100ms until closed. */
    private final class Sampler implements AutoCloseable {
        final Set<String> phases = ConcurrentHashMap.newKeySet();
        final Set<String> messages = ConcurrentHashMap.newKeySet();
        final AtomicInteger maxRunning = new AtomicInteger();
        private final Thread thread;
        private volatile boolean done;

        Sampler(String service) {
            thread = new Thread(() -> {
                while (!done) {
                    status(service).ifPresent(s -> record(s));
                    maxRunning.accumulateAndGet(running(service).size(), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void record(ServiceStatus s) {
            phases.add(s.phase().name());
            if (s.message() != null) {
                messages.add(s.message());
            }
        }

        @Override
        public void close() throws InterruptedException {
            done = true;
            thread.join(5000);
        }
    }
}
