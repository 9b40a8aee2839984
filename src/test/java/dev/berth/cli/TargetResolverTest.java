package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which server and token a call uses: flags, then environment, then the config file, then defaults. */
class TargetResolverTest {
    static final String CONFIG = """
            current-context: prod
            contexts:
              - name: prod
                server: https://berth.example.com:7443
                token: prod-token
              - name: staging
                server: http://10.0.0.5:7070
                token-file: staging.token
              - name: local
                server: http://127.0.0.1:7070
            """;

    @TempDir
    Path home;
    Path state;

    @BeforeEach
    void files() throws Exception {
        Path config = Files.createDirectories(home.resolve(".config/berth")).resolve("config.yaml");
        Files.writeString(config, CONFIG);
        Files.writeString(config.resolveSibling("staging.token"), "staging-token\n");
        state = Files.createDirectories(home.resolve("state"));
        Files.writeString(state.resolve("api-token"), "daemon-token\n");
    }

    record Case(String name, String server, String token, String context, Map<String, String> env,
            String expectServer, String expectToken, String expectSource) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("current-context", null, null, null, Map.of(), "https://berth.example.com:7443", "prod-token",
                        "context prod of"),
                new Case("--context with a token-file beside the config", null, null, "staging", Map.of(),
                        "http://10.0.0.5:7070", "staging-token", "staging.token (context staging)"),
                new Case("BERTH_SERVER over the context's server, the context's token stays", null, null, null,
                        Map.of("BERTH_SERVER", "http://env:1"), "http://env:1", "prod-token", "context prod of"),
                new Case("--server over BERTH_SERVER", "http://flag:2/", null, null, Map.of("BERTH_SERVER", "http://env:1"),
                        "http://flag:2", "prod-token", "context prod of"),
                new Case("BERTH_API_TOKEN over the context's token", null, null, null, Map.of("BERTH_API_TOKEN", "env-token"),
                        "https://berth.example.com:7443", "env-token", "BERTH_API_TOKEN"),
                new Case("--token over BERTH_API_TOKEN", null, "flag-token", null, Map.of("BERTH_API_TOKEN", "env-token"),
                        "https://berth.example.com:7443", "flag-token", "--token"),
                new Case("a loopback context without a token reads the daemon's token file", null, null, "local", Map.of(),
                        "http://127.0.0.1:7070", "daemon-token", "api-token"),
                new Case("a host:port without scheme is http", "localhost:7070", "x", null, Map.of(),
                        "http://localhost:7070", "x", "--token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void firstFoundWins(Case c) {
        Map<String, String> env = new HashMap<>(c.env());
        env.put("BERTH_STATE_DIR", state.toString());
        Target t = TargetResolver.resolve(io(env), c.server(), c.token(), c.context());
        assertThat(t.server()).isEqualTo(c.expectServer());
        assertThat(t.token()).isEqualTo(c.expectToken());
        assertThat(t.tokenSource()).contains(c.expectSource());
    }

    @Test
    void withoutAConfigFileTheDefaultServerAndTheDaemonsTokenFile() throws Exception {
        Files.delete(home.resolve(".config/berth/config.yaml"));
        Target t = TargetResolver.resolve(io(Map.of("BERTH_STATE_DIR", state.toString())), null, null, null);
        assertThat(t).isEqualTo(new Target("http://127.0.0.1:7070", "daemon-token", state.resolve("api-token").toString()));
    }

    @Test
    void theDaemonsTokenIsNeverSentToAnotherHost() throws Exception {
        Files.delete(home.resolve(".config/berth/config.yaml"));
        Target t = TargetResolver.resolve(io(Map.of("BERTH_STATE_DIR", state.toString())), "http://berth.example.com:7070",
                null, null);
        assertThat(t.token()).isNull();
    }

    @Test
    void berthConfigNamesAnotherFile() throws Exception {
        Path other = home.resolve("other.yaml");
        Files.writeString(other, "current-context: x\ncontexts: [{name: x, server: 'http://other:9', token: o}]\n");
        Target t = TargetResolver.resolve(io(Map.of("BERTH_CONFIG", other.toString())), null, null, null);
        assertThat(t).isEqualTo(new Target("http://other:9", "o", "context x of " + other));
    }

    @Test
    void mistakesInTheConfigAreUsageErrorsNamingTheFile() throws Exception {
        Path config = home.resolve(".config/berth/config.yaml");
        assertThatThrownBy(() -> TargetResolver.resolve(io(Map.of()), null, null, "qa"))
                .isInstanceOf(CliFailure.class).hasMessage("config file " + config
                        + ": no context named 'qa' (contexts: prod, staging, local)");
        Files.writeString(config, "current-context: prod\ncontexts: [{name: prod, sever: 'http://x'}]\n");
        assertThatThrownBy(() -> TargetResolver.resolve(io(Map.of()), null, null, null))
                .hasMessage("config file " + config + ": contexts[0]: unknown key 'sever' (known: name, server, token, token-file)");
        Files.writeString(config, "contexts: [{name: a, token: x, token-file: y}]\n");
        assertThatThrownBy(() -> TargetResolver.resolve(io(Map.of()), null, null, "a"))
                .hasMessageContaining("token and token-file are exclusive");
        assertThat(((CliFailure) org.assertj.core.api.Assertions.catchThrowable(
                () -> TargetResolver.resolve(io(Map.of()), null, null, "a"))).exitCode()).isEqualTo(Exit.USAGE);
    }

    @Test
    void theResolvedTokenIsWhatTheDaemonReceives() throws Exception {
        try (StubDaemon daemon = new StubDaemon()) {
            daemon.on("GET /api/v1/services", 200, "[]");
            Files.writeString(home.resolve(".config/berth/config.yaml"),
                    "current-context: d\ncontexts: [{name: d, server: '" + daemon.url() + "', token: from-config}]\n");
            CliRun r = CliRun.run(Map.of("BERTH_STATE_DIR", state.toString()), home, "get", "services");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(daemon.requests.get(0).authorization()).isEqualTo("Bearer from-config");
            r = CliRun.run(Map.of("BERTH_STATE_DIR", state.toString()), home, "get", "services", "--token", "from-flag");
            assertThat(daemon.requests.get(1).authorization()).isEqualTo("Bearer from-flag");
        }
    }

    Io io(Map<String, String> env) {
        return new Io(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), env, home);
    }
}
