package dev.berth.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the manifest reader's whole entry point for one file: bytes → text
 * ({@link ManifestText}) → YAML → schema → binding ({@link ManifestParser}) → cross-file checks
 * ({@link Assembler}). The contract under test: any input either yields declarations or a
 * {@link ManifestException} whose every problem names the file and gives a clear reason; no
 * other exception, no error (stack overflow, out of memory), and no input takes long.
 *
 * <p>Runs only in the {@code fuzz} Maven profile ({@code ./mvnw -B -ntp test -Pfuzz}), which
 * sets {@code JAZZER_FUZZ=1}; the budget is {@code maxDuration}. Seeds are in
 * {@code src/fuzz/resources/dev/berth/manifest/ManifestFuzzTestInputs/parseAndValidate/}.
 * Each finding becomes a case of {@code BadManifestTableTest}.
 */
class ManifestFuzzTest {
    private static final String FILE = "fuzz.yaml";
    /** Far above what any input needs (a pass reads a whole directory in milliseconds). */
    private static final long SLOW_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final ReservedPorts RESERVED = new ReservedPorts(Map.of(7070, "Berth's API (quarkus.http.port)"));
    private static final int WARM_UP = 100;
    private static int inputs;
    private static Path dir;
    private static ManifestParser parser;

    @BeforeAll
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("berth-fuzz");
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("db-password"), "s3cret");
        Files.writeString(dir.resolve("web.env"), "A=1\n");
        Files.writeString(dir.resolve("nginx.conf"), "events {}\n");
        Files.createDirectories(dir.resolve("html"));
        parser = new ManifestParser(secrets);
    }

    @AfterAll
    static void tearDown() throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @FuzzTest(maxDuration = "2m")
    void parseAndValidate(byte[] data) {
        long start = System.nanoTime();
        String input = new String(data, java.nio.charset.StandardCharsets.UTF_8);
        try {
            ManifestFile file = parser.parse(FILE, dir.resolve(FILE), ManifestText.decode(FILE, data));
            for (java.util.List<Problem> problems : Assembler.crossCheck(Map.of(FILE, file), RESERVED).values()) {
                problems.forEach(p -> clear(p, input));
            }
            Assembler.build(Map.of(FILE, file), java.util.Set.of());
        } catch (ManifestException e) {
            assertThat(e.problems()).isNotEmpty();
            e.problems().forEach(p -> clear(p, input));
        }
        long took = System.nanoTime() - start;
        // The first inputs also pay for loading and instrumenting the classes they reach.
        if (++inputs > WARM_UP) {
            assertThat(took).as("one input took %d ms", TimeUnit.NANOSECONDS.toMillis(took)).isLessThan(SLOW_NANOS);
        }
    }

    /** A problem a person can act on: it names the file and says why in words, not in Java. */
    private static void clear(Problem p, String input) {
        assertThat(p.file()).isEqualTo(FILE);
        assertThat(p.line()).isGreaterThanOrEqualTo(0);
        assertThat(p.message()).isNotBlank();
        // Words copied from the input (a field's name, a value, a path under the fuzz directory)
        // may say anything; the rest is Berth's own words.
        StringBuilder own = new StringBuilder();
        for (String word : p.message().split("\\s+")) {
            String bare = word.replaceAll("^['\"(]+|['\",;:?)]+$", "");
            if (!bare.isEmpty() && !input.contains(bare) && !bare.startsWith(dir.toString())) {
                own.append(word).append(' ');
            }
        }
        assertThat(own).doesNotContainPattern("\\bnull\\b")
                .doesNotContain("Exception", "com.fasterxml", "org.yaml", "java.", "\tat ");
        assertThat(p.toString()).startsWith(FILE);
    }
}
