package dev.berth.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table of bad manifests (issue 9, "Hostile and bad input"). Each case is a directory under
 * {@code src/test/resources/bad-manifests/}: one or more manifest files and {@code expected.txt}
 * (the format and the checks are {@link ProblemTable}'s).
 *
 * <p>A few cases are too big or too odd to keep as files; {@link #generated()} makes them.
 * Run with {@code -Dbad-manifests.record=true} to write the actual problems into new cases'
 * {@code expected.txt} (then read every line before committing it).
 */
class BadManifestTableTest {
    static final Path CASES = casesDir();
    static final String STEADY = "apiVersion: berth.dev/v1\nkind: Service\nmetadata: {name: steady}\n"
            + "spec: {image: localhost:5000/steady:1, networks: [backend]}\n---\n"
            + "apiVersion: berth.dev/v1\nkind: Network\nmetadata: {name: backend}\n";
    static final ReservedPorts RESERVED = new ReservedPorts(Map.of(7070, "Berth's API (quarkus.http.port)"));

    @TempDir
    Path root;

    static Stream<Arguments> cases() throws IOException {
        return ProblemTable.caseNames(CASES).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachBadManifestIsReportedClearlyAndLeavesTheRestAlone(String name) throws IOException {
        Path caseDir = CASES.resolve(name);
        check(name, ProblemTable.caseFiles(caseDir), caseDir.resolve("expected.txt"));
    }

    /** Cases made in code: too large to commit, or built from a size limit. */
    static Stream<Arguments> generated() {
        String head = "apiVersion: berth.dev/v1\nkind: Service\nmetadata: {name: web}\nspec:\n  image: web:1\n";
        String bigEnv = head + "  env:\n    K: \"" + "x".repeat(100_000) + "\"\n";
        StringBuilder huge = new StringBuilder(head).append("  env:\n");
        for (int i = 0; huge.length() <= ManifestLimits.MAX_FILE_BYTES; i++) {
            huge.append("    K").append(i).append(": \"").append("x".repeat(100)).append("\"\n");
        }
        return Stream.of(
                Arguments.of("huge-file", Map.of("huge.yaml", huge.toString().getBytes(StandardCharsets.UTF_8)),
                        List.of("huge.yaml: the file is " + huge.length() + " bytes; a manifest file may be at most "
                                + ManifestLimits.MAX_FILE_BYTES + " bytes (1 MiB)")),
                Arguments.of("deep-flow-nesting", Map.of("deep.yaml", (head + "  command: " + "[".repeat(10_000)
                        + "]".repeat(10_000) + "\n").getBytes(StandardCharsets.UTF_8)),
                        // the path of the too-deep list, cut at 80 characters
                        List.of("deep.yaml:6: " + ("spec.command" + "[0]".repeat(ManifestLimits.MAX_DEPTH)).substring(0, 80)
                                + "\u2026: nested more than " + ManifestLimits.MAX_DEPTH + " levels deep; manifests need far fewer")),
                Arguments.of("big-but-fine-env-beside-a-bad-file", Map.of("big.yaml", bigEnv.getBytes(StandardCharsets.UTF_8),
                        "bad.yaml", "kind: [".getBytes(StandardCharsets.UTF_8)),
                        List.of("bad.yaml:1: not valid YAML: while parsing a flow node; expected the node content, but found '<stream end>'",
                                "keeps: steady, web")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generated")
    void generatedBadManifests(String name, Map<String, byte[]> files, List<String> expected) throws IOException {
        Path exp = Files.writeString(Files.createDirectories(root.resolve("expected")).resolve(name + ".txt"),
                String.join("\n", expected) + "\n");
        check(name, files, exp);
    }

    @Test
    void theTableHasAtLeastFiftyCases() throws IOException {
        assertThat(cases().count() + generated().count()).isGreaterThanOrEqualTo(50);
    }

    private void check(String name, Map<String, byte[]> files, Path expectedFile) throws IOException {
        new ProblemTable(STEADY, RESERVED, "bad-manifests.record").check(name, root, files, expectedFile);
    }

    /** The sources, not target/test-classes: record mode writes next to the case files. */
    private static Path casesDir() {
        return Path.of("src/test/resources/bad-manifests");
    }
}
