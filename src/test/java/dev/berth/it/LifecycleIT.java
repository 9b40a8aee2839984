package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.APP_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import dev.berth.status.ServiceStatus;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Apply, scale, change, remove — and a converged host sees no changing call at all. */
class LifecycleIT extends EngineTestBase {

    @Test
    void appliesScalesUpdatesAndRemovesAService() throws Exception {
        int port = freePort();
        write("web.yaml", service("web", APP_V1, "  replicas: 2\n  init: true\n")
                + "---\n" + service("front", APP_V1, "  ports: [{port: " + port + ", targetPort: 8080}]\n"));
        startBerth();
        ServiceStatus web = awaitAvailable("web", 2);
        awaitAvailable("front", 1);
        assertThat(web.revision()).isEqualTo(1);
        assertThat(httpGet(port, "/").strip()).isEqualTo("v1");
        Container one = containers("web").stream().filter(c -> c.getLabels().get("dev.berth.ordinal").equals("1")).findFirst().orElseThrow();
        // <project>-<service>-r<revision>-<ordinal>-<random suffix>; the identity is in the labels.
        assertThat(one.getNames()[0]).matches("/" + project + "-web-r1-1-[a-z0-9]{5}");
        assertThat(one.getLabels()).containsEntry("dev.berth.container-name", one.getNames()[0].substring(1));
        assertThat(one.getLabels()).containsEntry("dev.berth.managed", "true").containsEntry("dev.berth.service", "web")
                .containsEntry("dev.berth.revision", "1").containsKey("dev.berth.spec-hash");

        // Scale up: a scale is not a rollout, the existing replicas stay.
        Set<String> before = ids("web");
        write("web.yaml", service("web", APP_V1, "  replicas: 3\n  init: true\n")
                + "---\n" + service("front", APP_V1, "  ports: [{port: " + port + ", targetPort: 8080}]\n"));
        assertThat(awaitAvailable("web", 3).revision()).isEqualTo(1);
        assertThat(ids("web")).containsAll(before);

        // Scale down removes the highest ordinals.
        write("web.yaml", service("web", APP_V1, "  replicas: 1\n  init: true\n")
                + "---\n" + service("front", APP_V1, "  ports: [{port: " + port + ", targetPort: 8080}]\n"));
        awaitAvailable("web", 1);
        assertThat(containers("web")).singleElement().satisfies(c -> assertThat(c.getId()).isEqualTo(one.getId()));

        // A new image is a new revision, rolled out; the old container is drained and removed.
        write("web.yaml", service("web", APP_V1, "  replicas: 1\n  init: true\n")
                + "---\n" + service("front", APP_V2, "  ports: [{port: " + port + ", targetPort: 8080}]\n"));
        awaitStatus("front", s -> s.revision() == 2 && s.phase().name().equals("Available"));
        ServiceStatus front = awaitStatus("front", s -> s.containers().size() == 1);
        assertThat(front.containers()).singleElement().satisfies(c -> assertThat(c.revision()).isEqualTo(2));
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(httpGet(port, "/").strip()).isEqualTo("v2"));
        assertThat(ids("web")).containsExactly(one.getId());

        // Removing the manifest removes the containers.
        Files.delete(manifests.resolve("web.yaml"));
        write("other.yaml", service("other", APP_V1, "  replicas: 0\n"));
        await().atMost(EVENTUALLY).until(() -> containers("web").isEmpty() && containers("front").isEmpty());
        assertThat(berth.status().service("web")).isEmpty();
    }

    @Test
    void aConvergedPassMakesNoChangingCall() throws Exception {
        write("web.yaml", service("web", APP_V1, "  replicas: 2\n  init: true\n"));
        startBerth();
        awaitAvailable("web", 2);
        awaitPasses(1);
        Map<String, String> started = containers("web").stream()
                .collect(Collectors.toMap(Container::getId, c -> inspect(c.getId()).getState().getStartedAt()));

        List<Event> events = new CopyOnWriteArrayList<>();
        var watch = docker.eventsCmd().withLabelFilter(Map.of("dev.berth.project", project))
                .exec(new ResultCallback.Adapter<Event>() {
                    @Override
                    public void onNext(Event e) {
                        events.add(e);
                    }
                });
        try {
            awaitPasses(5);
        } finally {
            watch.close();
        }
        assertThat(events).as("engine events during idle passes").isEmpty();
        Map<String, String> after = containers("web").stream()
                .collect(Collectors.toMap(Container::getId, c -> inspect(c.getId()).getState().getStartedAt()));
        assertThat(after).isEqualTo(started);
    }

    private Set<String> ids(String service) {
        return containers(service).stream().map(Container::getId).collect(Collectors.toSet());
    }
}
