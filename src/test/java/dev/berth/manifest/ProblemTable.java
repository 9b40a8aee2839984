package dev.berth.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The harness of the bad-input tables (Berth manifests and Compose files alike). A case is a set
 * of files loaded beside a good {@code steady.yaml}, and an {@code expected.txt} that lists every
 * problem the loader must report exactly as users see it ({@code file:line: field: reason};
 * {@code {dir}} and {@code {secrets}} stand for the temporary manifests and secrets directories).
 * A line {@code keeps: a, b} names every service still desired afterwards (by default only
 * {@code steady}). Every file with a problem is held, so what it declared keeps running as it
 * runs. With the system property {@code recordProperty} set, a case without expectations gets
 * the actual problems written into its {@code expected.txt} instead (read every line before
 * committing it).
 */
public record ProblemTable(String steady, ReservedPorts reserved, String recordProperty) {

    /** The case directories under {@code cases}, sorted, as JUnit arguments' names. */
    public static Stream<String> caseNames(Path cases) throws IOException {
        try (Stream<Path> s = Files.list(cases)) {
            return s.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    /** A case directory's files by relative path, all but {@code expected.txt}. */
    public static Map<String, byte[]> caseFiles(Path caseDir) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(caseDir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String rel = caseDir.relativize(p).toString();
                if (!rel.equals("expected.txt")) {
                    files.put(rel, Files.readAllBytes(p));
                }
            }
        }
        return files;
    }

    /** Loads {@code files} beside the steady manifest in a fresh directory under {@code root} and checks them. */
    public LoadResult check(String name, Path root, Map<String, byte[]> files, Path expectedFile) throws IOException {
        Path dir = Files.createDirectories(root.resolve("manifests"));
        Path secrets = Files.createDirectories(root.resolve("secrets"));
        Files.writeString(secrets.resolve("db-password"), "s3cret");
        Files.writeString(dir.resolve("steady.yaml"), steady);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
        LoadResult r = new ManifestLoader(dir, secrets, Duration.ZERO, HostAccessPolicy.defaults(secrets), reserved,
                Map.of()).load();
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
        if (Boolean.getBoolean(recordProperty) && expected.isEmpty()) {
            Files.writeString(expectedFile, String.join("\n", actual) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            return r;
        }
        assertThat(expected).as("expected.txt of %s names at least one problem", name).isNotEmpty();
        assertThat(actual).as("problems of %s", name).containsExactlyElementsOf(expected);
        for (Problem p : r.problems()) {
            assertThat(p.message()).as("a clear reason").isNotBlank().doesNotContain("null", "Exception", "com.fasterxml",
                    "\tat ");
            assertThat(files).as("the problem names one of the case's files").containsKey(p.file());
        }
        assertThat(r.refusal()).isNull();
        assertThat(r.desired().services().keySet()).as("services still desired in %s", name)
                .containsExactlyInAnyOrderElementsOf(keeps);
        Set<String> held = new TreeSet<>(r.desired().heldSources());
        r.problems().forEach(p -> assertThat(held).as("held files").contains(p.file()));
        return r;
    }
}
