package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.APP_V2;
import static dev.berth.it.TestImages.AUTH_PASSWORD;
import static dev.berth.it.TestImages.AUTH_REGISTRY;
import static dev.berth.it.TestImages.AUTH_USER;
import static dev.berth.it.TestImages.REGISTRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PruneType;
import com.github.dockerjava.api.model.PushResponseItem;
import dev.berth.engine.ImagePins;
import dev.berth.rollout.Command;
import dev.berth.status.ServiceStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rollback restores the whole revision: its env, config and secret contents as they were, and
 * its image, even after the image's tag was removed and dangling images pruned (the pin keeps
 * it), or after the image left the host altogether (pulled again by digest). A locally built
 * image that is gone stops the rollback with the reason, and the running revision keeps serving.
 */
class RollbackRestoreIT extends EngineTestBase {
    /** Images and tags the test made; removed afterwards (pins go with the project's containers' images). */
    private final List<String> made = new ArrayList<>();

    @AfterEach
    void removeImages() {
        stopBerth(); // so that nothing pins again meanwhile
        for (var c : containers()) { // so that the images are no longer in use
            docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
        }
        for (var i : docker.listImagesCmd().withReferenceFilter(ImagePins.ROOT + "/*/*").exec()) {
            for (String t : i.getRepoTags() == null ? new String[0] : i.getRepoTags()) {
                if (t.startsWith(ImagePins.ROOT + "/" + project + "/")) {
                    made.add(0, t);
                }
            }
        }
        for (String ref : made) {
            try {
                docker.removeImageCmd(ref).withForce(true).withNoPrune(true).exec();
            } catch (NotFoundException | com.github.dockerjava.api.exception.ConflictException gone) {
                // gone already, or still used by a container being removed: left for the engine's prune
            }
        }
    }

    void run(Command c) throws Exception {
        berth.submit(c).get(30, TimeUnit.SECONDS);
    }

    private String pin(int revision) {
        return new ImagePins(berth.engine()).reference("web", revision);
    }

    private Optional<String> imageId(String ref) {
        try {
            return Optional.of(docker.inspectImageCmd(ref).exec().getId());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** A new image with its own ID (a commit of {@code from}), tagged {@code repo:tag}. */
    private String newImage(String from, String repo, String tag) {
        String container = docker.createContainerCmd(from).exec().getId();
        try {
            String id = docker.commitCmd(container).withRepository(repo).withTag(tag)
                    .withLabels(Map.of("dev.berth.test.project", project)).exec();
            String full = docker.inspectImageCmd(id).exec().getId();
            made.add(repo + ":" + tag);
            made.add(full); // last: also what came back by a pull, known by its digest only
            return full;
        } finally {
            docker.removeContainerCmd(container).withForce(true).exec();
        }
    }

    private void push(String repo, String tag, AuthConfig auth) throws InterruptedException {
        List<String> errors = new ArrayList<>();
        var cmd = docker.pushImageCmd(repo).withTag(tag);
        if (auth != null) {
            cmd.withAuthConfig(auth);
        }
        cmd.exec(new ResultCallback.Adapter<PushResponseItem>() {
            @Override
            public void onNext(PushResponseItem item) {
                if (item.isErrorIndicated()) {
                    errors.add(String.valueOf(item.getErrorDetail() == null ? item.getError() : item.getErrorDetail().getMessage()));
                }
            }
        }).awaitCompletion(60, TimeUnit.SECONDS);
        assertThat(errors).as("push " + repo + ":" + tag).isEmpty();
    }

    /** A 1-replica web service, probed over HTTP. */
    private static String web(String image, String extra) {
        return service("web", image, "  init: true\n"
                + "  healthcheck: {http: {path: /cgi-bin/healthz, port: 8080}, interval: 300ms, timeout: 1s, retries: 2}\n"
                + "  update: {progressDeadlineSeconds: 60, monitorSeconds: 1}\n" + extra);
    }

    private boolean runsOnly(int revision, String imageId) {
        var cs = containers("web");
        return !cs.isEmpty() && cs.stream().allMatch(c -> "running".equals(c.getState())
                && String.valueOf(revision).equals(c.getLabels().get("dev.berth.revision"))
                && imageId.equals(c.getImageId()));
    }

    @Test
    void aRollbackRestoresTheRevisionsEnvConfigAndSecretContents() throws Exception {
        int port = freePort();
        Files.writeString(secrets.resolve("token"), "secret-v1");
        write("app.conf", "config-v1\n");
        String extra = "  env: {GREETING: %s}\n  configs: [{source: app.conf, target: /etc/app.conf}]\n"
                + "  secrets: [{name: token}]\n";
        write("web.yaml", proxiedWeb(APP_V1, port, "", extra.formatted("hello-v1")));
        startBerth();
        awaitAvailable("web", 2);

        // All three change; the manifest last, so the newest revision has all of v2.
        replace(secrets.resolve("token"), "secret-v2");
        write("app.conf", "config-v2\n");
        write("web.yaml", proxiedWeb(APP_V1, port, "", extra.formatted("hello-v2")));
        await().atMost(EVENTUALLY).untilAsserted(() -> {
            ServiceStatus s = status("web").orElseThrow();
            assertThat(s.phase().name()).isEqualTo("Available");
            assertThat(s.revision()).isGreaterThan(1);
            assertThat(containers("web")).hasSize(2).allSatisfy(c -> assertThat(seen(c.getId()))
                    .isEqualTo(List.of("GREETING=hello-v2", "config-v2", "secret-v2")));
        });

        run(new Command.Rollback("web", 1, "test"));
        awaitStatus("web", s -> s.revision() == 1 && s.phase().name().equals("RolledBack"));
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(running("web")).hasSize(2)
                .allSatisfy(c -> assertThat(c.getLabels()).containsEntry("dev.berth.revision", "1")));
        for (var c : running("web")) {
            assertThat(seen(c.getId())).as("what %s sees", c.getNames()[0])
                    .isEqualTo(List.of("GREETING=hello-v1", "config-v1", "secret-v1"));
        }
        // The sources still hold v2: what ran came from the revision's own snapshots.
        assertThat(Files.readString(manifests.resolve("app.conf"))).isEqualTo("config-v2\n");
    }

    /** The env var, config file and secret file as a process in the container sees them. */
    private List<String> seen(String containerId) throws InterruptedException {
        String env = exec(containerId, "sh", "-c", "env | grep '^GREETING='").strip();
        String conf = exec(containerId, "cat", "/etc/app.conf").strip();
        String secret = exec(containerId, "cat", "/run/secrets/token").strip();
        return List.of(env, conf, secret);
    }

    @Test
    void aPinnedImageSurvivesRmiOfItsTagAndPruneThenComesBackByDigestWhenItIsGone() throws Exception {
        // On the registry with credentials: the pull by digest uses them as any pull does.
        Path dockerConfig = Files.createDirectories(tmp.resolve("docker-config"));
        String basic = Base64.getEncoder().encodeToString((AUTH_USER + ":" + AUTH_PASSWORD).getBytes(StandardCharsets.UTF_8));
        Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\":{\"" + AUTH_REGISTRY + "\":{\"auth\":\"" + basic + "\"}}}");
        String repo = AUTH_REGISTRY + "/berth-test/pin-" + project;
        String v1 = newImage(APP_V1, repo, "v1");
        push(repo, "v1", new AuthConfig().withUsername(AUTH_USER).withPassword(AUTH_PASSWORD).withRegistryAddress(AUTH_REGISTRY));

        write("web.yaml", web(repo + ":v1", ""));
        startBerth(settings().withDockerConfig(dockerConfig.toString()));
        ServiceStatus first = awaitAvailable("web", 1);
        assertThat(first.imageDigest()).startsWith(repo + "@sha256:");
        await().atMost(EVENTUALLY).until(() -> imageId(pin(1)).equals(Optional.of(v1)));

        write("web.yaml", web(APP_V2, ""));
        awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available"));
        await().atMost(EVENTUALLY).until(() -> runsOnly(2, imageId(APP_V2).orElseThrow()));

        // What a clean-up does to an image no container uses any more.
        docker.removeImageCmd(repo + ":v1").exec();
        docker.pruneCmd(PruneType.IMAGES).withDangling(true).exec();
        assertThat(imageId(v1)).as("v1 kept by its pin").contains(v1);

        run(new Command.Rollback("web", 1, "test"));
        awaitStatus("web", s -> s.revision() == 1 && s.phase().name().equals("RolledBack"));
        await().atMost(EVENTUALLY).until(() -> runsOnly(1, v1));

        // Forward again (a manifest change), then v1 leaves the host altogether: pin and image.
        write("web.yaml", web(APP_V2, "  env: {AGAIN: \"yes\"}\n"));
        awaitStatus("web", s -> s.revision() == 3 && s.phase().name().equals("Available"));
        await().atMost(EVENTUALLY).until(() -> runsOnly(3, imageId(APP_V2).orElseThrow()));
        docker.removeImageCmd(pin(1)).withNoPrune(true).exec();
        assertThat(imageId(v1)).as("v1 gone from the host").isEmpty();

        run(new Command.Rollback("web", 1, "test"));
        awaitStatus("web", s -> s.revision() == 1 && s.phase().name().equals("RolledBack"));
        await().atMost(EVENTUALLY).until(() -> runsOnly(1, v1));
        // The image came back by its digest, and so did its pin.
        await().atMost(EVENTUALLY).until(() -> imageId(pin(1)).equals(Optional.of(v1)));
    }

    @Test
    void aRollbackToALocalImageThatIsGonePausesAndTheRunningRevisionKeepsServing() throws Exception {
        String repo = "berth-test/pin-local-" + project;
        String v1 = newImage(APP_V1, repo, "v1");
        int port = freePort();
        write("web.yaml", proxiedWeb(repo + ":v1", port, "", "  pullPolicy: never\n"));
        startBerth();
        awaitAvailable("web", 2);
        await().atMost(EVENTUALLY).until(() -> imageId(pin(1)).equals(Optional.of(v1)));
        write("web.yaml", proxiedWeb(APP_V2, port, "", "  pullPolicy: never\n"));
        awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available"));
        String v2 = imageId(APP_V2).orElseThrow();
        await().atMost(EVENTUALLY).until(() -> containers("web").size() == 2 && runsOnly(2, v2));
        var serving = containers("web").stream().map(c -> c.getId()).collect(java.util.stream.Collectors.toSet());

        docker.removeImageCmd(repo + ":v1").exec();
        docker.removeImageCmd(pin(1)).withNoPrune(true).exec();
        assertThat(imageId(v1)).as("v1 gone from the host").isEmpty();

        run(new Command.Rollback("web", 1, "test"));
        ServiceStatus s = awaitStatus("web", x -> x.phase().name().equals("Paused"));
        assertThat(s.rollout().reason()).contains("rollback failed: cannot restore revision 1")
                .contains("no registry digest");
        assertThat(berth.events().list("web")).anySatisfy(e -> {
            assertThat(e.reason()).isEqualTo("RolloutPaused");
            assertThat(e.message()).contains("cannot restore revision 1");
        });
        awaitPasses(3);
        assertThat(containers("web").stream().map(c -> c.getId()).collect(java.util.stream.Collectors.toSet()))
                .as("revision 2's replicas, untouched").isEqualTo(serving);
        assertThat(runsOnly(2, v2)).isTrue();
        assertThat(httpGet(port, "/").strip()).isEqualTo("v2");
    }

    @Test
    void pinsOfTrimmedRevisionsAndOfARemovedServiceGo() throws Exception {
        String repo = "berth-test/pin-trim-" + project;
        String a = newImage(APP_V1, repo, "a");
        String b = newImage(APP_V1, repo, "b");
        String c = newImage(APP_V1, repo, "c");
        write("web.yaml", web(repo + ":a", "  revisionHistoryLimit: 2\n  pullPolicy: never\n"));
        startBerth();
        awaitAvailable("web", 1);
        write("web.yaml", web(repo + ":b", "  revisionHistoryLimit: 2\n  pullPolicy: never\n"));
        awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available"));
        await().atMost(EVENTUALLY).until(() -> imageId(pin(1)).equals(Optional.of(a))
                && imageId(pin(2)).equals(Optional.of(b)));
        write("web.yaml", web(repo + ":c", "  revisionHistoryLimit: 2\n  pullPolicy: never\n"));
        awaitStatus("web", s -> s.revision() == 3 && s.phase().name().equals("Available"));
        await().atMost(EVENTUALLY).until(() -> imageId(pin(1)).isEmpty() && imageId(pin(3)).equals(Optional.of(c)));
        assertThat(imageId(pin(2))).contains(b);
        assertThat(imageId(repo + ":a")).as("the user's own tag is not Berth's to remove").contains(a);

        write("other.yaml", service("other", APP_V1, "  init: true\n")); // first: an empty directory is refused
        Files.delete(manifests.resolve("web.yaml"));
        await().atMost(EVENTUALLY).until(() -> containers("web").isEmpty());
        await().atMost(EVENTUALLY).until(() -> imageId(pin(2)).isEmpty() && imageId(pin(3)).isEmpty());
    }
}
