package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the API token comes from: configuration, a token file, else a 0600 file made once in the state directory. */
class ApiTokenTest {
    @TempDir
    Path state;

    @Test
    void withoutConfigurationATokenFileIsCreatedOnceWithMode0600() throws Exception {
        String first = ApiToken.loadOrCreate(Optional.empty(), Optional.empty(), state);
        Path file = state.resolve("api-token");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first).hasSizeGreaterThanOrEqualTo(40).doesNotContainAnyWhitespaces();
        assertThat(Files.readString(file).strip()).isEqualTo(first);
        // A restart reads the same token back.
        assertThat(ApiToken.loadOrCreate(Optional.of("  "), Optional.empty(), state)).isEqualTo(first);
    }

    @Test
    void aConfiguredTokenWinsAndNoFileIsWritten() {
        assertThat(ApiToken.loadOrCreate(Optional.of(" s3cret \n"), Optional.empty(), state)).isEqualTo("s3cret");
        assertThat(state.resolve("api-token")).doesNotExist();
    }

    /** berth.api.token-file: a Swarm or Compose secret, the same on whichever node the daemon runs. */
    @Test
    void aTokenFileIsReadWhenNoTokenIsConfigured() throws Exception {
        Path secret = Files.writeString(state.resolve("secret"), "from-a-secret\n");
        assertThat(ApiToken.loadOrCreate(Optional.empty(), Optional.of(secret), state)).isEqualTo("from-a-secret");
        assertThat(ApiToken.loadOrCreate(Optional.of("wins"), Optional.of(secret), state)).isEqualTo("wins");
        assertThat(state.resolve("api-token")).as("no random token made").doesNotExist();
    }

    @Test
    void aTokenFileThatCannotBeReadOrIsEmptyStopsTheStartRatherThanLockEveryoneOut() throws Exception {
        assertThatThrownBy(() -> ApiToken.loadOrCreate(Optional.empty(), Optional.of(state.resolve("missing")), state))
                .hasMessageContaining("cannot read the API token file").hasMessageContaining("berth.api.token-file");
        Path empty = Files.writeString(state.resolve("empty"), " \n");
        assertThatThrownBy(() -> ApiToken.loadOrCreate(Optional.empty(), Optional.of(empty), state))
                .hasMessageContaining("is empty");
        assertThat(state.resolve("api-token")).doesNotExist();
    }
}
