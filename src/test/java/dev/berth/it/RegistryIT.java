package dev.berth.it;

import static dev.berth.it.TestImages.AUTH_PASSWORD;
import static dev.berth.it.TestImages.AUTH_REGISTRY;
import static dev.berth.it.TestImages.AUTH_USER;
import static dev.berth.it.TestImages.PRIVATE_V1;
import static dev.berth.it.TestImages.REGISTRY_APP_V1;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.berth.status.ServiceStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Pulls from the local registries, with credentials from a Docker config file; digests are recorded. */
class RegistryIT extends EngineTestBase {

    private void removeLocal(String image) {
        try {
            docker.removeImageCmd(image).withForce(true).exec();
        } catch (NotFoundException gone) {
            // not there: fine
        }
    }

    @Test
    void pullsWithCredentialsFromTheDockerConfigAndPinsTheDigest() throws Exception {
        removeLocal(PRIVATE_V1);
        Path dockerConfig = Files.createDirectories(tmp.resolve("docker-config"));
        String auth = Base64.getEncoder().encodeToString((AUTH_USER + ":" + AUTH_PASSWORD).getBytes(StandardCharsets.UTF_8));
        Files.writeString(dockerConfig.resolve("config.json"),
                "{\"auths\":{\"" + AUTH_REGISTRY + "\":{\"auth\":\"" + auth + "\"}}}");
        write("web.yaml", service("web", PRIVATE_V1, "  init: true\n"));
        startBerth(settings().withDockerConfig(dockerConfig.toString()));
        ServiceStatus s = awaitAvailable("web", 1);
        assertThat(s.imageDigest()).startsWith(AUTH_REGISTRY + "/berth-test/private@sha256:");
        assertThat(inspect(running("web").get(0).getId()).getConfig().getImage()).isEqualTo(s.imageDigest());
    }

    @Test
    void withoutCredentialsThePullFailsVisiblyAndNothingRuns() throws Exception {
        removeLocal(PRIVATE_V1);
        Path empty = Files.createDirectories(tmp.resolve("no-credentials"));
        write("web.yaml", service("web", PRIVATE_V1, ""));
        startBerth(settings().withDockerConfig(empty.toString()));
        ServiceStatus s = awaitStatus("web", x -> x.phase().name().equals("Failed"));
        assertThat(s.message()).contains("pull").contains(PRIVATE_V1);
        assertThat(containers("web")).isEmpty();
    }

    @Test
    void pullsFromTheOpenRegistryWhenMissing() throws Exception {
        removeLocal(REGISTRY_APP_V1);
        write("web.yaml", service("web", REGISTRY_APP_V1, "  init: true\n  pullPolicy: missing\n"));
        startBerth();
        ServiceStatus s = awaitAvailable("web", 1);
        assertThat(s.imageDigest()).contains("@sha256:");
    }
}
