package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.events.Event;
import dev.berth.state.RevisionRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Faults: the manifests directory churns — 1,000 rapid in-place edits written in two halves, a
 * git checkout that renames, moves and rewrites many files at once, a symlink swapped to another
 * release. Promise: Berth converges to the final content, and never acts on a half-written file
 * or a half-done checkout: no manifest is rejected on the way, no revision is recorded whose spec
 * lacks the file's last line, no declared service is dropped. Seeded, so a failure replays.
 */
class ManifestChurnIT extends EngineTestBase {
    private static final long SEED = 9L;

    /** A web service whose env ends with END, the file's last line: a cut-off file lacks it. */
    private static String web(int step, String extraEnv) {
        return "apiVersion: berth.dev/v1\nkind: Service\nmetadata: {name: web}\nspec:\n  image: " + APP_V1
                + "\n  init: true\n  stopGracePeriod: 1s\n  revisionHistoryLimit: 5000\n  env:\n    STEP: \"" + step
                + "\"\n" + extraEnv + "    END: \"yes\"\n";
    }

    /** In place, as an editor that truncates and writes does, in two halves with a pause between. */
    private static void writeInTwoHalves(Path p, String content, int pauseMillis) throws Exception {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(p)) {
            out.write(b, 0, b.length / 2);
            out.flush();
            if (pauseMillis > 0) {
                Thread.sleep(pauseMillis);
            }
            out.write(b, b.length / 2, b.length - b.length / 2);
        }
    }

    @Test
    void aThousandRapidEditsConvergeToTheLastAndNoHalfFileIsActedOn() throws Exception {
        Path file = manifests.resolve("web.yaml");
        Files.writeString(file, web(0, ""));
        startBerth();
        awaitAvailable("web", 1);

        Random random = new Random(SEED);
        int last = 1000;
        for (int i = 1; i <= last; i++) {
            // padding of random length moves the cut; short pauses stay within the settling time
            String pad = "    PAD: \"" + "x".repeat(random.nextInt(200)) + "\"\n";
            writeInTwoHalves(file, web(i, pad), random.nextInt(4) == 0 ? 1 + random.nextInt(20) : 0);
            if (i % 100 == 0) {
                // The promise covers churn that stops within the settling hold (5 s); on a loaded
                // machine 1,000 edits in a row took longer, and a directory that never goes quiet
                // is read anyway after the hold. Bursts of 100 with a quiet gap keep each burst
                // well inside it, and let passes run between bursts.
                Thread.sleep(500);
            }
        }
        awaitStatus("web", s -> s.phase().name().equals("Available") && s.replicas().ready() == 1
                && s.containers().size() == 1);
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(runningEnv("web")).contains("STEP=" + last));
        assertNeverActedOnAHalfFile();
    }

    @Test
    void aCheckoutSwappingManyFilesAndASwappedSymlinkConvergeToTheNewContent() throws Exception {
        int n = 30;
        git("init", "-q", "-b", "a");
        Files.writeString(manifests.resolve(".gitignore"), ".releases/\n");
        for (int i = 0; i < n; i++) {
            Files.writeString(manifests.resolve(String.format("s%02d.yaml", i)), idle(i, "a"));
        }
        Files.writeString(manifests.resolve("web.yaml"), web(1, "    BRANCH: \"a\"\n"));
        git("add", "-A");
        git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "a");
        git("checkout", "-q", "-b", "b");
        for (int i = 0; i < n; i++) {
            // every other file moves into a subdirectory under a new name; all change content
            Path from = manifests.resolve(String.format("s%02d.yaml", i));
            Path to = i % 2 == 0 ? manifests.resolve("moved").resolve(String.format("idle-%02d.yaml", i)) : from;
            Files.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(to, idle(i, "b"));
        }
        Files.writeString(manifests.resolve("web.yaml"), web(2, "    BRANCH: \"b\"\n"));
        git("add", "-A");
        git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "b");
        git("checkout", "-q", "a");

        startBerth();
        awaitAvailable("web", 1);
        await().atMost(EVENTUALLY).until(() -> berth.status().services().size() == n + 1);

        // The checkout: git rewrites, deletes and creates the 31 files one after another.
        git("checkout", "-q", "b");
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(runningEnv("web")).contains("BRANCH=b"));
        await().atMost(EVENTUALLY).until(() -> berth.status().services().stream()
                .filter(s -> s.name().startsWith("idle")).allMatch(s -> s.revision() == 2));
        assertThat(berth.status().services()).hasSize(n + 1);

        // A release symlink swapped the way deploy tools do it (new link, then rename over the old).
        Path releases = Files.createDirectories(manifests.resolve(".releases"));
        Files.writeString(releases.resolve("web-3.yaml"), web(3, "    BRANCH: \"release-3\"\n"));
        Files.writeString(releases.resolve("web-4.yaml"), web(4, "    BRANCH: \"release-4\"\n"));
        Path link = manifests.resolve("web.yaml");
        swapLink(link, ".releases/web-3.yaml");
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(runningEnv("web")).contains("BRANCH=release-3"));
        swapLink(link, ".releases/web-4.yaml");
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(runningEnv("web")).contains("BRANCH=release-4"));

        awaitAvailable("web", 1);
        assertNeverActedOnAHalfFile();
        assertThat(berth.events().list(null)).as("no idle service was ever dropped or failed on the way")
                .filteredOn(e -> e.service() != null && e.service().startsWith("idle"))
                .noneMatch(e -> "Warning".equalsIgnoreCase(e.type()) || e.reason().contains("Remov"));
    }

    /** Points {@code link} at {@code target} in one step: a new link, renamed over the old file or link. */
    private static void swapLink(Path link, String target) throws IOException {
        Path tmpLink = link.resolveSibling("." + link.getFileName() + ".new");
        Files.deleteIfExists(tmpLink);
        Files.createSymbolicLink(tmpLink, Path.of(target));
        Files.move(tmpLink, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A declared service with no replicas: cheap, but any half-read checkout would drop or duplicate it. */
    private static String idle(int i, String branch) {
        return String.format("apiVersion: berth.dev/v1\nkind: Service\nmetadata: {name: idle%02d}\nspec:\n  image: %s\n"
                + "  replicas: 0\n  env: {BRANCH: \"%s\"}\n", i, APP_V1, branch);
    }

    private void assertNeverActedOnAHalfFile() {
        List<Event> rejected = berth.events().list(null).stream()
                .filter(e -> "ManifestRejected".equals(e.reason())).toList();
        assertThat(rejected).as("no manifest was read half-written").isEmpty();
        List<RevisionRecord> revisions = berth.revisions("web");
        assertThat(revisions).isNotEmpty().allSatisfy(r -> assertThat(r.resolved().spec().env())
                .as("revision %d was recorded from a whole file", r.revision()).containsEntry("END", "yes"));
    }

    private List<String> runningEnv(String service) {
        return running(service).stream().flatMap(c -> Arrays.stream(inspect(c.getId()).getConfig().getEnv())).toList();
    }

    private void git(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).directory(manifests.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
