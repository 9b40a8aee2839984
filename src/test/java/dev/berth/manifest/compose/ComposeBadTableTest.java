package dev.berth.manifest.compose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.manifest.LoadResult;
import dev.berth.manifest.ProblemTable;
import dev.berth.manifest.ReservedPorts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad Compose files. Each case is a directory under {@code src/test/resources/compose/bad/}
 * with Compose files and {@code expected.txt} (the format and the checks are
 * {@link ProblemTable}'s; {@code -Dcompose.record=true} records a new case). A bad Compose file
 * is refused whole: none of its services is desired, and the Berth manifest beside it
 * ({@code steady}) is untouched.
 */
class ComposeBadTableTest {
    static final Path CASES = Path.of("src/test/resources/compose/bad");
    static final String STEADY = "apiVersion: berth.dev/v1\nkind: Service\nmetadata: {name: steady}\n"
            + "spec: {image: localhost:5000/steady:1}\n";

    @TempDir
    Path root;

    static Stream<Arguments> cases() throws IOException {
        return ProblemTable.caseNames(CASES).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachBadComposeFileIsRefusedWithFileLineAndKey(String name) throws IOException {
        Path caseDir = CASES.resolve(name);
        Map<String, byte[]> files = ProblemTable.caseFiles(caseDir);
        LoadResult r = new ProblemTable(STEADY, ReservedPorts.NONE, "compose.record").check(name, root, files,
                caseDir.resolve("expected.txt"));
        assertThat(files.keySet().stream().anyMatch(r.desired()::holds)).as("the refused file is held").isTrue();
    }

    @Test
    void theTableCoversEnoughCases() throws IOException {
        assertThat(cases().count()).isGreaterThanOrEqualTo(15);
    }
}
