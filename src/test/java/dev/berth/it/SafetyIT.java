package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.APP_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input never touches what runs; an emptied or vanished directory does not tear the host down. */
class SafetyIT extends EngineTestBase {

    @Test
    void aBrokenManifestKeepsTheLastGoodVersionRunning() throws Exception {
        write("web.yaml", service("web", APP_V1, "  init: true\n"));
        startBerth();
        awaitAvailable("web", 1);
        String id = running("web").get(0).getId();

        write("web.yaml", service("web", APP_V2, "  init: true\n  replicas: lots\n"));
        await().atMost(EVENTUALLY).until(() -> !berth.status().problems().isEmpty());
        assertThat(berth.status().problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("web.yaml");
            assertThat(p.line()).isEqualTo(8);
            assertThat(p.field()).isEqualTo("spec.replicas");
        });
        awaitPasses(2);
        assertThat(running("web")).extracting(Container::getId).containsExactly(id);
        assertThat(status("web").orElseThrow().image()).isEqualTo(APP_V1);

        // Fixed: the new version rolls out and the problem clears.
        write("web.yaml", service("web", APP_V2, "  init: true\n"));
        awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available"));
        assertThat(berth.status().problems()).isEmpty();
    }

    @Test
    void anEmptiedDirectoryIsRefusedUnlessAllowed() throws Exception {
        write("web.yaml", service("web", APP_V1, "  init: true\n"));
        startBerth();
        awaitAvailable("web", 1);
        String id = running("web").get(0).getId();

        Files.delete(manifests.resolve("web.yaml"));
        await().atMost(EVENTUALLY).until(() -> berth.status().refusal() != null);
        assertThat(berth.status().refusal()).contains("declares no services").contains("allow-empty");
        awaitPasses(2);
        assertThat(running("web")).extracting(Container::getId).containsExactly(id);

        // A directory that vanishes altogether is refused too.
        Files.delete(manifests);
        awaitPasses(2);
        assertThat(berth.status().refusal()).contains("cannot be read");
        assertThat(running("web")).extracting(Container::getId).containsExactly(id);
        Files.createDirectories(manifests);

        // With berth.allow-empty the user can remove everything.
        stopBerth();
        startBerth(settings().withAllowEmpty(true));
        await().atMost(EVENTUALLY).until(() -> containers("web").isEmpty());
    }

    @Test
    void aBrokenFileWithNoGoodVersionLeavesItsContainersAlone() throws Exception {
        write("web.yaml", service("web", APP_V1, "  init: true\n"));
        write("other.yaml", service("other", APP_V1, "  replicas: 0\n"));
        startBerth();
        awaitAvailable("web", 1);
        String id = running("web").get(0).getId();
        stopBerth();

        // Berth restarts while web.yaml is broken: it has no last good version in memory.
        write("web.yaml", "apiVersion: berth.dev/v1\nkind: Service\nmetadata: {name: web}\nspec: {image: [\n");
        startBerth();
        awaitPasses(3);
        assertThat(berth.status().problems()).isNotEmpty();
        List<Container> still = running("web");
        assertThat(still).extracting(Container::getId).containsExactly(id);
    }

    @Test
    void aFailedProjectActionIsRetriedOnBackoffWithoutSpinningAndClearsOnceFixed() throws Exception {
        // The engine refuses a second "null" network at once (an unknown driver is refused only
        // after a 15 s search for a plugin, see the test below).
        write("net.yaml", "apiVersion: berth.dev/v1\nkind: Network\nmetadata: {name: backend}\nspec: {driver: \"null\"}\n");
        write("web.yaml", service("web", APP_V1, "  init: true\n"));
        startBerthWithoutResync();
        awaitAvailable("web", 1);
        await().atMost(EVENTUALLY).until(() -> berth.status().projectError() != null);
        assertThat(berth.status().projectError()).contains("only one instance of \"null\" network");
        write("net.yaml", "apiVersion: berth.dev/v1\nkind: Network\nmetadata: {name: backend}\n");
        await().atMost(EVENTUALLY).until(() -> docker.listNetworksCmd().withNameFilter(project + "_backend").exec().size() == 1);
        await().atMost(EVENTUALLY).until(() -> berth.status().projectError() == null);
        long before = berth.loop().passes();
        Thread.sleep(3000);
        // Idle now: no trigger, no backoff left; a loop spinning on a stale retry time would run hundreds of passes.
        assertThat(berth.loop().passes() - before).isLessThan(5);
    }

    @Test
    void aNetworkTheEngineIsSlowToRefuseHoldsNoOtherServiceBack() throws Exception {
        // dockerd searches 15 s for a plugin of an unknown driver before it refuses the network.
        // That search must hold back only the service that needs the network: web, on the
        // default network, is created and becomes Available while the search still runs. (When
        // networks were made on the planning thread, the whole pass waited for it, every pass,
        // and web came up only after the refusal was already in status.)
        write("net.yaml", "apiVersion: berth.dev/v1\nkind: Network\nmetadata: {name: backend}\n"
                + "spec: {driver: berth-no-such-plugin}\n");
        write("lonely.yaml", service("lonely", APP_V1, "  init: true\n  networks: [backend]\n"));
        write("web.yaml", service("web", APP_V1, "  init: true\n"));
        startBerthWithoutResync();
        awaitAvailable("web", 1);
        assertThat(berth.status().projectError()).as("the network's refusal, still being searched for").isNull();
        assertThat(containers("lonely")).as("lonely waits for its network").isEmpty();

        await().atMost(EVENTUALLY).until(() -> berth.status().projectError() != null);
        assertThat(berth.status().projectError()).startsWith("network backend: ").contains("berth-no-such-plugin");
        // While the network backs off, web still follows its manifest at once.
        write("web.yaml", service("web", APP_V2, "  init: true\n"));
        awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available"));
    }
}
