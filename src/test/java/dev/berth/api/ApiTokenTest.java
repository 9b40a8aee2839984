package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the API token comes from: configuration, else a 0600 file made once in the state directory. */
class ApiTokenTest {
    @TempDir
    Path state;

    @Test
    void withoutConfigurationATokenFileIsCreatedOnceWithMode0600() throws Exception {
        String first = ApiToken.loadOrCreate(Optional.empty(), state);
        Path file = state.resolve("api-token");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first).hasSizeGreaterThanOrEqualTo(40).doesNotContainAnyWhitespaces();
        assertThat(Files.readString(file).strip()).isEqualTo(first);
        // A restart reads the same token back.
        assertThat(ApiToken.loadOrCreate(Optional.of("  "), state)).isEqualTo(first);
    }

    @Test
    void aConfiguredTokenWinsAndNoFileIsWritten() {
        assertThat(ApiToken.loadOrCreate(Optional.of(" s3cret \n"), state)).isEqualTo("s3cret");
        assertThat(state.resolve("api-token")).doesNotExist();
    }
}
