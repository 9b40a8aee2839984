package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * After a replica has been ready, failing probes take it out of the proxy, and one that stays
 * unhealthy is replaced (Docker never restarts an unhealthy container); traffic carries on.
 * Run with an http probe and with an exec probe (run in the container).
 */
class LivenessIT extends EngineTestBase {

    @ParameterizedTest(name = "{0} probe")
    @ValueSource(strings = {
        "{http: {path: /cgi-bin/healthz, port: 8080}, interval: 300ms, timeout: 1s, retries: 2}",
        "{exec: {command: [sh, -c, 'test ! -e /tmp/unhealthy']}, interval: 300ms, timeout: 2s, retries: 2}"})
    void aReplicaThatTurnsUnhealthyLeavesTheProxyAndIsReplaced(String healthcheck) throws Exception {
        int port = freePort();
        write("web.yaml", service("web", APP_V1, "  replicas: 2\n  init: true\n"
                + "  ports: [{port: " + port + ", targetPort: 8080}]\n  healthcheck: " + healthcheck + "\n"
                + "  update: {drainSeconds: 1}\n"));
        startBerth();
        awaitStatus("web", s -> s.phase().name().equals("Available") && s.replicas().ready() == 2);
        String sick = running("web").get(0).getId();
        String sickHost = exec(sick, "hostname").strip();
        try (Load load = new Load(port, "/cgi-bin/hostname", 4)) {
            await().atMost(EVENTUALLY).until(() -> load.count(sickHost) > 20);
            exec(sick, "touch", "/tmp/unhealthy");
            awaitStatus("web", s -> s.containers().stream().anyMatch(c -> sick.startsWith(c.id())
                    && "UNHEALTHY".equals(c.health()) && !c.ready()));
            // Replaced by a fresh container, and the service whole again.
            await().atMost(EVENTUALLY).until(() -> containers("web").stream().noneMatch(c -> c.getId().equals(sick)));
            awaitStatus("web", s -> s.phase().name().equals("Available") && s.replicas().ready() == 2);
            Set<String> hosts = running("web").stream().map(c -> c.getId().substring(0, 12)).collect(Collectors.toSet());
            await().atMost(EVENTUALLY).until(() -> hosts.stream().allMatch(h -> load.count(h) > 5));
            load.close();
            assertThat(load.failures).as("failed requests").isEmpty();
        }
        assertThat(berth.events().list("web")).anySatisfy(e -> assertThat(e.message()).contains("stayed unhealthy"));
    }
}
