package dev.berth.testing;

import com.github.dockerjava.api.DockerClient;
import dev.berth.engine.DockerClients;
import dev.berth.engine.ImagePins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A test's own project on the shared engine: its name, the daemon settings that point Berth at it,
 * and removing what Berth created for it (never anything of another project).
 */
public final class EngineProjects {
    private EngineProjects() {}

    /** A project name no other test uses: {@code prefix} and eight random hex digits. */
    public static String newName(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A project's own directories under a new temp directory {@code root}; {@code state} is left to Berth to create. */
    public record Dirs(Path root, Path manifests, Path secrets, Path state) {
        /** Creates root (named from {@code tempPrefix}), manifests and secrets. */
        public static Dirs create(String tempPrefix) throws IOException {
            Path root = Files.createTempDirectory(tempPrefix);
            return new Dirs(root, Files.createDirectories(root.resolve("manifests")),
                    Files.createDirectories(root.resolve("secrets")), root.resolve("state"));
        }
    }

    /**
     * Settings that give the daemon under test {@code project} on its own directories, publishing
     * on 127.0.0.1, resyncing every 2 s, with {@code token} as its API token.
     */
    public static Map<String, String> settings(String project, Dirs dirs, String token) {
        return Map.of("berth.manifests-dir", dirs.manifests().toString(),
                "berth.state-dir", dirs.state().toString(),
                "berth.secrets-dir", dirs.secrets().toString(),
                "berth.project", project,
                "berth.publish-address", "127.0.0.1",
                "berth.resync-interval", "2s",
                "berth.api.token", token);
    }

    /** Force-removes the project's containers, networks and image pins, with a client of its own. */
    public static void remove(String project) {
        try (DockerClient docker = DockerClients.client(DockerClients.config(Optional.empty()))) {
            docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("dev.berth.project", project)).exec()
                    .forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
            removeNetworks(docker, project);
            removeImagePins(docker, project);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the project's networks ({@code <project>_*}). */
    public static void removeNetworks(DockerClient docker, String project) {
        docker.listNetworksCmd().exec().stream().filter(n -> n.getName().startsWith(project + "_"))
                .forEach(n -> docker.removeNetworkCmd(n.getId()).exec());
    }

    /** Removes the image pins of the project's revisions: tags only, the images are the shared test images. */
    public static void removeImagePins(DockerClient docker, String project) {
        String pins = ImagePins.ROOT + "/" + project + "/";
        for (var i : docker.listImagesCmd().withReferenceFilter(pins + "*").exec()) {
            for (String t : i.getRepoTags() == null ? new String[0] : i.getRepoTags()) {
                if (t.startsWith(pins)) {
                    docker.removeImageCmd(t).withForce(true).withNoPrune(true).exec();
                }
            }
        }
    }
}
