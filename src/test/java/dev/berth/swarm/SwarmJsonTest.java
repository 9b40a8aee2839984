package dev.berth.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.core.DockerClientConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fields docker-java 3.7.1 does not model ride on subclasses of its model classes; they only
 * reach the engine if docker-java's own object mapper writes them. These tests write specs with
 * that mapper and read the JSON the Engine API would receive (it also writes an unmodelled
 * {@code "mode"} key of {@code ServiceModeConfig.getMode()}, which the engine ignores).
 */
class SwarmJsonTest {
    static final ObjectMapper DOCKER_JAVA = DockerClientConfig.getDefaultObjectMapper();

    @TempDir
    Path root;

    JsonNode json(String extra) throws Exception {
        return DOCKER_JAVA.readTree(DOCKER_JAVA.writeValueAsString(new SwarmFixture(root).web(extra)));
    }

    static boolean unset(JsonNode n) {
        return n.isMissingNode() || n.isNull();
    }

    @Test
    void aJobIsWrittenAsReplicatedJobModeOnly() throws Exception {
        JsonNode mode = json("  replicas: 3\n  restart: on-failure\n").path("Mode");
        assertThat(mode.path("ReplicatedJob").path("TotalCompletions").asLong()).isEqualTo(3);
        assertThat(mode.path("ReplicatedJob").path("MaxConcurrent").asLong()).isEqualTo(3);
        // docker-java's mapper writes unset fields as null, which the engine's Go decoder reads as unset.
        assertThat(unset(mode.path("Replicated"))).as(mode.toString()).isTrue();
        assertThat(unset(mode.path("Global"))).as(mode.toString()).isTrue();
    }

    @Test
    void aServiceIsWrittenAsReplicatedMode() throws Exception {
        JsonNode mode = json("  replicas: 2\n").path("Mode");
        assertThat(mode.path("Replicated").path("Replicas").asLong()).as(mode.toString()).isEqualTo(2);
        assertThat(unset(mode.path("ReplicatedJob"))).as(mode.toString()).isTrue();
    }

    @Test
    void hardeningIsWrittenIntoTheContainerSpec() throws Exception {
        JsonNode c = json("").path("TaskTemplate").path("ContainerSpec");
        assertThat(c.path("CapabilityDrop").toString()).isEqualTo("[\"ALL\"]");
        assertThat(c.path("CapabilityAdd").size()).isEqualTo(13);
        assertThat(c.path("CapabilityAdd").toString()).contains("\"CAP_SETUID\"").doesNotContain("NET_RAW");
        assertThat(c.path("Privileges").path("NoNewPrivileges").asBoolean()).as(c.toString()).isTrue();
    }

    @Test
    void placementIsWrittenWithSpreadPreferences() throws Exception {
        JsonNode p = json("  placement: {constraints: [node.role==manager], preferences: [{spread: node.labels.zone}]}\n")
                .path("TaskTemplate").path("Placement");
        assertThat(p.path("Constraints").toString()).isEqualTo("[\"node.role==manager\"]");
        assertThat(p.path("Preferences").toString()).isEqualTo("[{\"Spread\":{\"SpreadDescriptor\":\"node.labels.zone\"}}]");
    }

    @Test
    void theEngineApiNamesAreUsed() throws Exception {
        JsonNode s = json("  ports: [{port: 8080, targetPort: 80}]\n  update: {monitorSeconds: 7}\n");
        assertThat(s.path("Name").asText()).isEqualTo("berth_web");
        assertThat(s.path("EndpointSpec").path("Ports").get(0).path("PublishMode").asText()).isEqualTo("ingress");
        assertThat(s.path("EndpointSpec").path("Ports").get(0).path("PublishedPort").asInt()).isEqualTo(8080);
        assertThat(s.path("UpdateConfig").path("Order").asText()).isEqualTo("start-first");
        assertThat(s.path("UpdateConfig").path("FailureAction").asText()).isEqualTo("rollback");
        assertThat(s.path("UpdateConfig").path("Monitor").asLong()).isEqualTo(7_000_000_000L);
        assertThat(s.path("TaskTemplate").path("RestartPolicy").path("Condition").asText()).isEqualTo("any");
        assertThat(s.path("TaskTemplate").path("ContainerSpec").path("Healthcheck").path("Test").get(0).asText()).isEqualTo("NONE");
    }
}
