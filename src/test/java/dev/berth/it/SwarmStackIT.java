package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.DockerClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Berth itself as a Swarm service, deployed from {@code deploy/swarm/berth-stack.yaml} with
 * {@code docker stack deploy} as docs/swarm.md tells users to, on the test swarm: it drives the
 * swarm it runs in, and when its task dies Swarm starts another, which carries on from what the
 * swarm keeps without writing to services that match their manifests. The image is built from
 * the packaged daemon by {@code .ci/berth-image} (seconds; the Dockerfile takes minutes here).
 */
class SwarmStackIT extends SwarmTestBase {
    static final String SECRET = "berth-api-token";
    private String stack;
    private String image;
    private int apiPort;

    @Test
    void berthRunsAsASwarmServiceAndTheTaskSwarmStartsAfterItDiesCarriesOn() throws Exception {
        int port = deploy(project + "_stk");
        String first = awaitBerthTask(null);
        URI ready = readyAt(first, port);
        awaitReady(ready);

        write("web.yaml", SwarmBackendIT.web(SwarmBackendIT.V1, 1, ""));
        await().atMost(EVENTUALLY).until(() -> liveService("web") != null && running(liveService("web")) == 1);
        long settled = settledVersion("web");

        // Its task's container killed on its node: Swarm starts another (restart_policy), which takes over.
        try (var engine = nodeEngine(nodeOf(first))) {
            engine.killContainerCmd(containerOf(first)).exec();
        }
        String second = awaitBerthTask(first);
        awaitReady(readyAt(second, port));
        Thread.sleep(6000); // the new Berth's first passes
        assertThat(liveService("web").path("Version").path("Index").asLong()).as("nothing written to what matches")
                .isEqualTo(settled);
        write("api.yaml", SwarmBackendIT.web(SwarmBackendIT.V1, 1, "").replace("name: web", "name: api"));
        await().atMost(EVENTUALLY).until(() -> liveService("api") != null);
    }

    /**
     * The promise of docs/swarm.md: the node that runs Berth dies, and Swarm starts Berth on
     * another manager, which carries on from what the swarm keeps. The test swarm's 3 nodes are
     * all managers (quorum survives one); Berth is kept off berth-sw1, whose socket the test talks
     * to, the node running Berth is SIGKILLed whole ({@code swarm_node_kill}), and the new Berth,
     * on the other manager and its engine, writes nothing to the service that matches its
     * manifest and creates the next one declared. The stack is named as the project, as in
     * docs/swarm.md's {@code docker stack deploy ... berth} with the default project {@code berth}.
     */
    @Test
    void berthMovesToAnotherManagerWhenItsNodeDies() throws Exception {
        List<String> others = List.of("berth-sw2", "berth-sw3");
        String dead = null;
        try {
            int port = deploy(project);
            run(Map.of("DOCKER_HOST", HOST), "docker", "service", "update", "--detach", "--constraint-add",
                    "node.hostname!=berth-sw1", berthService().path("Spec").path("Name").asText());
            // A task already off berth-sw1 satisfies the new constraint and stays; one on it is replaced.
            String moved = explained(() -> awaitBerthTask(null, others));
            explained(() -> awaitReady(readyAt(moved, port)));
            write("web.yaml", SwarmBackendIT.web(SwarmBackendIT.V1, 1, ""));
            explained(() -> await().atMost(EVENTUALLY).until(() -> liveService("web") != null
                    && running(liveService("web")) == 1));
            long settled = settledVersion("web");

            dead = nodeOf(moved);
            swarmLib("swarm_node_kill " + dead.substring("berth-sw".length()));
            String elsewhere = explained(() -> awaitBerthTask(moved, others));
            assertThat(nodeOf(elsewhere)).as("Berth's new task runs on the other manager").isNotEqualTo(dead);
            explained(() -> awaitReady(readyAt(elsewhere, port)));
            Thread.sleep(6000); // the new Berth's first passes
            assertThat(liveService("web").path("Version").path("Index").asLong())
                    .as("nothing written to what matches").isEqualTo(settled);
            write("api.yaml", SwarmBackendIT.web(SwarmBackendIT.V1, 1, "").replace("name: web", "name: api"));
            explained(() -> await().atMost(EVENTUALLY).until(() -> liveService("api") != null));
        } finally {
            if (dead != null) {
                swarmLib("swarm_node_start " + dead.substring("berth-sw".length()));
            }
        }
    }

    /** Runs {@code step}; when it times out, fails with what the swarm shows of Berth and the test's services. */
    private <T> T explained(java.util.concurrent.Callable<T> step) throws Exception {
        try {
            return step.call();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder why = new StringBuilder(e.getMessage());
            JsonNode berth = berthService();
            for (String service : List.of(berth == null ? "" : berth.path("Spec").path("Name").asText(),
                    project + "_web", project + "_api")) {
                why.append("\n--- docker service ps ").append(service).append(":\n")
                        .append(output(Map.of("DOCKER_HOST", HOST), "docker", "service", "ps", "--no-trunc", service));
            }
            why.append("\n--- docker node ls:\n").append(output(Map.of("DOCKER_HOST", HOST), "docker", "node", "ls"));
            if (apiPort > 0 && berth != null) {
                for (JsonNode t : swarm.tasks(List.of(berth.path("ID").asText()))) {
                    if ("running".equals(t.path("DesiredState").asText())) {
                        String addr = node(t.path("NodeID").asText()).path("Status").path("Addr").asText();
                        for (String path : List.of("/q/health/ready", "/api/v1/services", "/api/v1/events")) {
                            why.append("\n--- GET ").append(addr).append(path).append(":\n").append(output(Map.of(),
                                    "curl", "-s", "-m", "5", "-H", "Authorization: Bearer stack-test-token",
                                    "http://" + addr + ":" + apiPort + path));
                        }
                    }
                }
            }
            if (berth != null) {
                why.append("\n--- Berth's log:\n").append(output(Map.of("DOCKER_HOST", HOST), "docker", "service",
                        "logs", "--tail", "60", berth.path("Spec").path("Name").asText()));
            }
            throw new AssertionError(why.toString(), e);
        }
    }

    private void explained(Runnable step) throws Exception {
        explained(() -> {
            step.run();
            return null;
        });
    }

    /**
     * {@code docker stack deploy} of deploy/swarm/berth-stack.yaml, as docs/swarm.md tells users,
     * with this run's image, secret and directories; answers the API's port. The engine socket
     * is {@code /run/berth-node/docker.sock}, each test node's own ({@code .ci/lib/swarm.sh}), as
     * /var/run/docker.sock is on a real node: a Berth that moves talks to its new node's engine.
     */
    private int deploy(String stackName) throws Exception {
        image = TestImages.REGISTRY + "/berth-ci:" + project;
        run(Map.of("DOCKER_HOST", ""), ".ci/berth-image", image);
        removeSecret();
        swarm.createObject("secrets", SECRET, Map.of(), "stack-test-token".getBytes(StandardCharsets.UTF_8));
        stack = stackName;
        int port = 20000 + ThreadLocalRandom.current().nextInt(10000);
        apiPort = port;
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_HOST", HOST);
        env.put("BERTH_IMAGE", image);
        env.put("BERTH_PROJECT", project);
        env.put("BERTH_MANIFESTS_DIR", manifests.toString());
        env.put("BERTH_SECRETS_DIR", secrets.toString());
        env.put("BERTH_DOCKER_SOCKET", "/run/berth-node/docker.sock");
        env.put("BERTH_API_PORT", Integer.toString(port));
        run(env, "docker", "stack", "deploy", "-c", "deploy/swarm/berth-stack.yaml", stack);
        return port;
    }

    @AfterEach
    void removeStack() throws Exception {
        if (stack == null) {
            return;
        }
        run(Map.of("DOCKER_HOST", HOST), "docker", "stack", "rm", stack);
        await().atMost(EVENTUALLY).until(() -> berthService() == null);
        removeSecret();
        // The state volume is local to each node Berth ran on (any manager), and so is its image.
        String nodes = System.getenv().getOrDefault("BERTH_TEST_SWARM_NODES", HOST);
        for (String node : nodes.trim().split("\\s+")) {
            try (var engine = DockerClients.client(DockerClients.config(Optional.empty(), Optional.of(node)))) {
                String volume = stack + "_berth-state";
                await().atMost(EVENTUALLY).ignoreExceptions().until(() -> {
                    var listed = engine.listVolumesCmd().withFilter("name", List.of(volume)).exec().getVolumes();
                    if (listed == null || listed.stream().noneMatch(v -> v.getName().equals(volume))) {
                        return true;
                    }
                    engine.removeVolumeCmd(volume).exec(); // refused while the stopping task still uses it
                    return false;
                });
                // Each run's image is a layer of its own (docker import): not left behind on the node
                // (which has it by digest only: docker stack deploy pins it) or here.
                removeImages(engine);
            }
        }
        try (var local = DockerClients.client(DockerClients.config(Optional.empty(), Optional.empty()))) {
            removeImages(local);
        }
    }

    /** This run's image, by any tag or digest of its repository; one in use or gone already is left. */
    private void removeImages(com.github.dockerjava.api.DockerClient engine) {
        String repo = image.substring(0, image.lastIndexOf(':'));
        for (var i : engine.listImagesCmd().exec()) {
            List<String> refs = new ArrayList<>();
            if (i.getRepoTags() != null) {
                refs.addAll(List.of(i.getRepoTags()));
            }
            if (i.getRepoDigests() != null) {
                refs.addAll(List.of(i.getRepoDigests()));
            }
            if (refs.stream().anyMatch(r -> r.equals(image) || r.startsWith(repo + "@"))) {
                try {
                    engine.removeImageCmd(i.getId()).withForce(true).exec();
                } catch (RuntimeException e) {
                    // in use by a container still stopping, or removed meanwhile: nothing to clean
                }
            }
        }
    }

    private void removeSecret() {
        for (JsonNode s : swarm.secrets(Map.of())) {
            if (SECRET.equals(s.path("Spec").path("Name").asText())) {
                await().atMost(EVENTUALLY).ignoreExceptions().until(() -> {
                    swarm.removeObject("secrets", s.path("ID").asText());
                    return true;
                });
            }
        }
    }

    private JsonNode berthService() {
        List<JsonNode> l = swarm.services(Map.of("com.docker.stack.namespace", stack));
        return l.isEmpty() ? null : l.get(0);
    }

    /** The ID of Berth's running task other than {@code not}, once there is one. */
    private String awaitBerthTask(String not) {
        return awaitBerthTask(not, null);
    }

    /** As {@link #awaitBerthTask(String)}, on one of {@code nodes} (host names; null: any). */
    private String awaitBerthTask(String not, List<String> nodes) {
        String[] id = new String[1];
        await().atMost(EVENTUALLY).pollInterval(Duration.ofSeconds(1)).until(() -> {
            JsonNode s = berthService();
            if (s == null) {
                return false;
            }
            for (JsonNode t : swarm.tasks(List.of(s.path("ID").asText()))) {
                if ("running".equals(t.path("Status").path("State").asText())
                        && "running".equals(t.path("DesiredState").asText()) && !t.path("ID").asText().equals(not)
                        && (nodes == null || nodes.contains(nodeOf(t.path("ID").asText())))) {
                    id[0] = t.path("ID").asText();
                    return true;
                }
            }
            return false;
        });
        return id[0];
    }

    /** The host name of the node that runs Berth's task {@code taskId}. */
    private String nodeOf(String taskId) {
        return node(task(taskId).path("NodeID").asText()).path("Description").path("Hostname").asText();
    }

    /** Berth's readiness on the node that runs {@code taskId}: its API is published there in host mode. */
    private URI readyAt(String taskId, int port) {
        String addr = node(task(taskId).path("NodeID").asText()).path("Status").path("Addr").asText();
        return URI.create("http://" + addr + ":" + port + "/q/health/ready");
    }

    private JsonNode node(String id) {
        return swarm.nodes().stream().filter(n -> n.path("ID").asText().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + id));
    }

    private JsonNode task(String taskId) {
        JsonNode s = berthService();
        for (JsonNode t : swarm.tasks(List.of(s.path("ID").asText()))) {
            if (t.path("ID").asText().equals(taskId)) {
                return t;
            }
        }
        throw new AssertionError("no task " + taskId);
    }

    private String containerOf(String taskId) {
        return task(taskId).path("Status").path("ContainerStatus").path("ContainerID").asText();
    }

    private long running(JsonNode service) {
        return swarm.tasks(List.of(service.path("ID").asText())).stream()
                .filter(t -> "running".equals(t.path("Status").path("State").asText())).count();
    }

    private static void awaitReady(URI uri) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        await().atMost(EVENTUALLY).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode() == 200);
    }

    private static void run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder b = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
                .directory(Path.of("").toAbsolutePath().toFile());
        env.forEach((k, v) -> {
            if (v.isEmpty()) {
                b.environment().remove(k);
            } else {
                b.environment().put(k, v);
            }
        });
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    /** The output of {@code command}, whatever its exit status (for failure messages). */
    private static String output(Map<String, String> env, String... command) {
        try {
            ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
            b.environment().putAll(env);
            Process p = b.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }
}
