package dev.berth.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table of bad manifests (issue 9, "Hostile and bad input"). Each case is a directory under
 * {@code src/test/resources/bad-manifests/}: one or more manifest files and {@code expected.txt},
 * which lists every problem the loader must report, exactly as users see it
 * ({@code file:line: field: reason}; {@code {dir}} and {@code {secrets}} stand for the temporary
 * manifests and secrets directories). A line {@code keeps: a, b} names the services that must
 * still be desired afterwards; by default only {@code steady}, the good service of
 * {@code steady.yaml}, which every case gets beside its bad files. Every file with a problem must
 * be held (no last good version here), so what it declared keeps running as it runs.
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
        try (Stream<Path> s = Files.list(CASES)) {
            return s.filter(Files::isDirectory).sorted().map(d -> Arguments.of(d.getFileName().toString())).toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachBadManifestIsReportedClearlyAndLeavesTheRestAlone(String name) throws IOException {
        Path caseDir = CASES.resolve(name);
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(caseDir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String rel = caseDir.relativize(p).toString();
                if (!rel.equals("expected.txt")) {
                    files.put(rel, Files.readAllBytes(p));
                }
            }
        }
        check(name, files, caseDir.resolve("expected.txt"));
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
        Path dir = Files.createDirectories(root.resolve("manifests"));
        Path secrets = Files.createDirectories(root.resolve("secrets"));
        Files.writeString(secrets.resolve("db-password"), "s3cret");
        Files.writeString(dir.resolve("steady.yaml"), STEADY);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
        LoadResult r = new ManifestLoader(dir, secrets, java.time.Duration.ZERO, HostAccessPolicy.defaults(secrets), RESERVED).load();
        List<String> actual = r.problems().stream().map(Problem::toString)
                .map(s -> s.replace(secrets.toString(), "{secrets}").replace(dir.toString(), "{dir}")).toList();

        List<String> expected = new ArrayList<>();
        Set<String> keeps = new TreeSet<>(Set.of("steady"));
        if (Files.exists(expectedFile)) {
            for (String line : Files.readAllLines(expectedFile)) {
                if (line.startsWith("keeps:")) {
                    keeps = new TreeSet<>(List.of(line.substring(6).strip().split("\\s*,\\s*")));
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    expected.add(line);
                }
            }
        }
        if (Boolean.getBoolean("bad-manifests.record") && expected.isEmpty()) {
            Files.writeString(expectedFile, String.join("\n", actual) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            return;
        }
        assertThat(expected).as("expected.txt of %s names at least one problem", name).isNotEmpty();
        assertThat(actual).as("problems of %s", name).containsExactlyElementsOf(expected);
        for (Problem p : r.problems()) {
            assertThat(p.message()).as("a clear reason").isNotBlank().doesNotContain("null", "Exception", "com.fasterxml",
                    "\tat ");
            assertThat(files).as("the problem names one of the case's files").containsKey(p.file());
        }
        assertThat(r.refusal()).isNull();
        assertThat(r.desired().services().keySet()).as("services still desired in %s", name).containsExactlyInAnyOrderElementsOf(keeps);
        Set<String> held = new TreeSet<>(r.desired().heldSources());
        r.problems().forEach(p -> assertThat(held).as("held files").contains(p.file()));
    }

    /** The sources, not target/test-classes: record mode writes next to the case files. */
    private static Path casesDir() {
        return Path.of("src/test/resources/bad-manifests");
    }
}
