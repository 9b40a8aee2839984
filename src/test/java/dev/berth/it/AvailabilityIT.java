package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.APP_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.rollout.Command;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proxy never empties while a ready replica exists: under constant load, a rollout, a REST
 * rollback, a REST restart and a scale-down fail no request, in the update settings users write
 * (one replica, unavailability above 0, percentages), not only in the friendly two-replica,
 * maxUnavailable 0 case. Stop-first has a gap by nature; it is measured by bench/, not here.
 */
class AvailabilityIT extends EngineTestBase {

    static Stream<Arguments> updateSettings() {
        return Stream.of(
                Arguments.of(1, "maxSurge: 1, maxUnavailable: 0"),
                Arguments.of(1, "maxSurge: 1, maxUnavailable: 1"),
                Arguments.of(2, "maxSurge: 1, maxUnavailable: 1"),
                Arguments.of(4, "maxSurge: 50%, maxUnavailable: 50%"));
    }

    static String web(String image, int port, int replicas, String update) {
        return service("web", image, "  replicas: " + replicas + "\n  init: true\n"
                + "  ports: [{port: " + port + ", targetPort: 8080}]\n"
                + "  healthcheck: {http: {path: /cgi-bin/healthz, port: 8080}, interval: 300ms, timeout: 1s, retries: 2}\n"
                + "  update: {" + update + ", drainSeconds: 10, progressDeadlineSeconds: 60, monitorSeconds: 1}\n");
    }

    @ParameterizedTest(name = "replicas {0}, {1}")
    @MethodSource("updateSettings")
    void rolloutRollbackRestartAndScaleDownFailNoRequest(int replicas, String update) throws Exception {
        int port = freePort();
        write("web.yaml", web(APP_V1, port, replicas, update));
        startBerth();
        awaitAvailable("web", replicas);
        try (Load load = new Load(port, "/", 4)) {
            await().atMost(EVENTUALLY).until(() -> load.count("v1") > 50);

            write("web.yaml", web(APP_V2, port, replicas, update));
            awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available"));
            long v2 = load.count("v2");
            await().atMost(EVENTUALLY).until(() -> load.count("v2") > v2 + 50);

            berth.submit(new Command.Rollback("web", null, "test")).get(30, TimeUnit.SECONDS);
            awaitStatus("web", s -> s.revision() == 1 && s.phase().name().equals("RolledBack")
                    && s.replicas().updated() == replicas && s.replicas().ready() == replicas && s.containers().size() == replicas);
            long v1 = load.count("v1");
            await().atMost(EVENTUALLY).until(() -> load.count("v1") > v1 + 50);

            // A manifest change ends the hold; then a rolling restart makes one more revision.
            write("web.yaml", web(APP_V2, port, replicas, update) + "  env: {CHANGED: \"yes\"}\n");
            awaitStatus("web", s -> s.revision() == 3 && s.phase().name().equals("Available"));
            berth.submit(new Command.Restart("web", "test")).get(30, TimeUnit.SECONDS);
            awaitStatus("web", s -> s.revision() == 4 && s.phase().name().equals("Available")
                    && s.containers().size() == replicas);
            long after = load.ok.get();
            await().atMost(EVENTUALLY).until(() -> load.ok.get() > after + 50);

            if (replicas > 1) {
                write("web.yaml", web(APP_V2, port, replicas - 1, update) + "  env: {CHANGED: \"yes\"}\n");
                awaitStatus("web", s -> s.phase().name().equals("Available") && s.containers().size() == replicas - 1);
                long scaled = load.ok.get();
                await().atMost(EVENTUALLY).until(() -> load.ok.get() > scaled + 50);
            }
            load.close();
            assertThat(load.failures).as("failed requests").isEmpty();
        }
    }
}
