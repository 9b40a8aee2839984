package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import dev.berth.engine.DockerClients;
import dev.berth.testing.ContainerOutput;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A rolling update on the swarm under load, with 0 failed requests: a client container on the
 * service's overlay network asks the service's virtual IP (its name) 20 times a second while the
 * manifest moves from v1 to v2, in the configurations a user may write: several replicas, one
 * replica, a percentage. (The routing mesh does not forward on these machines, so the load goes
 * through the overlay network, as one service calls another.) And the order that allows no
 * surge, stop-first, which never runs more tasks than replicas.
 */
class SwarmRolloutIT extends SwarmTestBase {
    /**
     * The client's loop: each request goes to a task the swarm's DNS names for {@code tasks.web}
     * at that moment (DNS round robin: this kernel has no IPVS, so the service's virtual IP and
     * the routing mesh do not forward here). The test image's static busybox cannot resolve names
     * in wget (it hangs) and crashes on {@code wget -T}, so nslookup resolves and timeout bounds.
     */
    static final String LOAD = "while true; do ip=$(nslookup tasks.web 2>/dev/null | sed -n 's/^Address: *//p' | sed -n 2p);"
            + " if [ -z \"$ip\" ]; then echo NODNS; sleep 0.2; continue; fi;"
            + " if timeout 3 wget -q -O - http://$ip:8080/ >/tmp/body 2>/dev/null;"
            + " then echo \"ok $(cat /tmp/body) $ip\"; else echo \"FAIL $ip\"; fi; sleep 0.05; done";

    @ParameterizedTest(name = "{0} replicas, update {1}")
    @CsvSource(delimiter = '|', textBlock = """
            2 | maxSurge: 1, maxUnavailable: 0
            1 | maxSurge: 1, maxUnavailable: 0
            3 | maxSurge: 50%, maxUnavailable: 0
            """)
    void aStartFirstUpdateUnderLoadFailsNoRequest(int replicas, String policy) throws Exception {
        startBerth();
        write("web.yaml", SwarmBackendIT.web(SwarmBackendIT.V1, replicas, "").replace(
                "maxSurge: 1, maxUnavailable: 0", policy));
        awaitAvailable("web", 1, replicas);

        try (DockerClient docker = DockerClients.client(DockerClients.config(Optional.empty(), Optional.of(HOST)))) {
            String image = TestImages.REGISTRY + "/" + TestImages.BUSYBOX;
            docker.pullImageCmd(image).start().awaitCompletion(60, java.util.concurrent.TimeUnit.SECONDS);
            String client = docker.createContainerCmd(image)
                    .withName(project + "-load")
                    .withCmd("sh", "-c", LOAD)
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode(project + "_default")).exec().getId();
            try {
                docker.startContainerCmd(client).exec();
                awaitLog(docker, client, "ok v1");

                write("web.yaml", SwarmBackendIT.web(SwarmBackendIT.V2, replicas, "").replace(
                        "maxSurge: 1, maxUnavailable: 0", policy));
                awaitAvailable("web", 2, replicas);
                awaitLog(docker, client, "ok v2");
                Thread.sleep(1000);

                String log = ContainerOutput.logs(docker, client);
                long ok = log.lines().filter(l -> l.startsWith("ok")).count();
                long failed = log.lines().filter(l -> l.startsWith("FAIL")).count();
                assertThat(ok).as("requests answered").isGreaterThan(20);
                assertThat(failed).as("failed requests of %d", ok + failed).isZero();
            } finally {
                docker.removeContainerCmd(client).withForce(true).exec();
            }
        }
    }

    /**
     * The order that allows no surge (maxSurge 0, maxUnavailable 1 → Swarm's stop-first with
     * parallelism 1): at no poll do more tasks run than replicas, and the update completes on
     * every replica. With one replica the service is down for a moment by the order's nature.
     */
    @ParameterizedTest(name = "{0} replicas, stop-first")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2})
    void aStopFirstUpdateNeverRunsMoreTasksThanReplicas(int replicas) throws Exception {
        startBerth();
        String policy = "maxSurge: 0, maxUnavailable: 1";
        write("web.yaml", SwarmBackendIT.web(SwarmBackendIT.V1, replicas, "").replace(
                "maxSurge: 1, maxUnavailable: 0", policy));
        awaitAvailable("web", 1, replicas);
        String id = liveService("web").path("ID").asText();
        assertThat(liveService("web").path("Spec").path("UpdateConfig").path("Order").asText()).isEqualTo("stop-first");

        write("web.yaml", SwarmBackendIT.web(SwarmBackendIT.V2, replicas, "").replace(
                "maxSurge: 1, maxUnavailable: 0", policy));
        int most = 0;
        long deadline = System.nanoTime() + EVENTUALLY.toNanos();
        while (status("web").filter(st -> st.revision() == 2 && st.phase().name().equals("Available")
                && st.replicas().updated() == replicas).isEmpty()) {
            assertThat(System.nanoTime()).as("the stop-first update completed in time").isLessThan(deadline);
            int running = (int) swarm.tasks(java.util.List.of(id)).stream()
                    .filter(t -> "running".equals(t.path("Status").path("State").asText())).count();
            most = Math.max(most, running);
            Thread.sleep(100);
        }
        assertThat(most).as("tasks running at once, at most").isLessThanOrEqualTo(replicas);
        assertThat(status("web").orElseThrow().containers()).allMatch(c -> c.revision() == 2 || !"READY".equals(c.health()));
    }

    private static void awaitLog(DockerClient docker, String container, String text) {
        org.awaitility.Awaitility.await().atMost(EVENTUALLY).pollInterval(java.time.Duration.ofMillis(500))
                .until(() -> ContainerOutput.logs(docker, container).contains(text));
    }
}
