package dev.berth.manifest.compose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.manifest.HostAccessPolicy;
import dev.berth.manifest.LoadResult;
import dev.berth.manifest.ManifestLoader;
import dev.berth.manifest.Problem;
import dev.berth.manifest.ReservedPorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad Compose files. Each case is a directory under {@code src/test/resources/compose/bad/}
 * with Compose files and {@code expected.txt}: every problem the loader must report, as users
 * see it ({@code file:line: key: reason}; {@code {dir}} stands for the manifests directory).
 * A bad Compose file is refused whole: none of its services is desired, and the Berth manifest
 * beside it ({@code steady}) is untouched; a line {@code keeps: a, b} names every service that
 * must be desired afterwards when a good file of the case is applied. Run with {@code -Dcompose.record=true} to write a new
 * case's {@code expected.txt} (then read every line before committing it).
 */
class ComposeBadTableTest {
    static final Path CASES = Path.of("src/test/resources/compose/bad");
    static final String STEADY = "apiVersion: berth.dev/v1\nkind: Service\nmetadata: {name: steady}\n"
            + "spec: {image: localhost:5000/steady:1}\n";

    @TempDir
    Path root;

    static Stream<Arguments> cases() throws IOException {
        try (Stream<Path> s = Files.list(CASES)) {
            return s.filter(Files::isDirectory).sorted().map(d -> Arguments.of(d.getFileName().toString())).toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachBadComposeFileIsRefusedWithFileLineAndKey(String name) throws IOException {
        Path caseDir = CASES.resolve(name);
        Path dir = Files.createDirectories(root.resolve("manifests"));
        Path secrets = Files.createDirectories(root.resolve("secrets"));
        Files.writeString(dir.resolve("steady.yaml"), STEADY);
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(caseDir)) {
            for (Path p : s.filter(f -> !f.getFileName().toString().equals("expected.txt")).toList()) {
                Files.copy(p, dir.resolve(p.getFileName().toString()));
                files.add(p.getFileName().toString());
            }
        }
        LoadResult r = new ManifestLoader(dir, secrets, Duration.ZERO, HostAccessPolicy.defaults(secrets), ReservedPorts.NONE,
                Map.of()).load();
        List<String> actual = r.problems().stream().map(Problem::toString).map(x -> x.replace(dir.toString(), "{dir}")).toList();
        Path expectedFile = caseDir.resolve("expected.txt");
        if (Boolean.getBoolean("compose.record") && !Files.exists(expectedFile)) {
            Files.writeString(expectedFile, String.join("\n", actual) + "\n", StandardCharsets.UTF_8);
            return;
        }
        List<String> lines = Files.readAllLines(expectedFile);
        List<String> expected = lines.stream().filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("keeps:")).toList();
        List<String> keeps = lines.stream().filter(l -> l.startsWith("keeps:"))
                .flatMap(l -> Stream.of(l.substring(6).strip().split("\\s*,\\s*"))).toList();
        assertThat(expected).as("expected.txt of %s names at least one problem", name).isNotEmpty();
        assertThat(actual).as("problems of %s", name).containsExactlyElementsOf(expected);
        for (Problem p : r.problems()) {
            assertThat(files).as("the problem names one of the case's files").contains(p.file());
            assertThat(p.message()).doesNotContain("null", "Exception", "com.fasterxml");
        }
        assertThat(r.desired().services().keySet()).as("the services still desired")
                .containsExactlyInAnyOrderElementsOf(keeps.isEmpty() ? List.of("steady") : keeps);
        assertThat(files.stream().anyMatch(r.desired()::holds)).as("the refused file is held").isTrue();
    }

    @Test
    void theTableCoversEnoughCases() throws IOException {
        assertThat(cases().count()).isGreaterThanOrEqualTo(15);
    }
}
