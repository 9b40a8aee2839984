package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a user reads when a call goes wrong, and the exit code a script sees. */
class ErrorMessagesTest extends AgainstStubDaemon {

    @Override
    void stubs(StubDaemon daemon) {
        daemon.on("GET /api/v1/services", r -> r.authorization() == null
                ? StubDaemon.Reply.json(401, "{\"status\":401,\"message\":\"no Authorization: Bearer token\"}")
                : StubDaemon.Reply.json(401, "{\"status\":401,\"message\":\"the token is not valid\"}"));
        daemon.on("GET /api/v1/services/nope", 404, "{\"status\":404,\"message\":\"no service named 'nope'\"}");
        daemon.on("POST /api/v1/services/web/pause", 409,
                "{\"status\":409,\"message\":\"no rollout in progress for web (phase Available)\"}");
    }

    /** Here without a token unless {@code env} gives one. */
    @Override
    CliRun berth(Map<String, String> env, String... args) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putIfAbsent("BERTH_API_TOKEN", "");
        return super.berth(all, args);
    }

    @Test
    void unauthorisedWithoutATokenSaysHowToPassOne() {
        CliRun r = berth(Map.of(), "get", "services");
        assertThat(r.code()).as(r.toString()).isEqualTo(Exit.REFUSED);
        assertThat(r.err()).contains("refused the request (401 Unauthorized): no Authorization: Bearer token")
                .contains("No token was sent: pass it with --token, BERTH_API_TOKEN")
                .contains("/var/lib/berth/api-token");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unauthorisedWithATokenSaysWhereTheTokenCameFrom() {
        CliRun r = berth(Map.of("BERTH_API_TOKEN", "stale"), "get", "services");
        assertThat(r.code()).as(r.toString()).isEqualTo(Exit.REFUSED);
        assertThat(r.err()).contains("the token is not valid").contains("The token came from BERTH_API_TOKEN");
        assertThat(daemon.requests.get(0).authorization()).isEqualTo("Bearer stale");
    }

    @Test
    void notFoundCarriesTheDaemonsMessage() {
        CliRun r = berth(Map.of(), "get", "services", "nope", "--token", "t");
        assertThat(r.code()).as(r.toString()).isEqualTo(Exit.REFUSED);
        assertThat(r.err()).isEqualTo("error: Berth answered 404: no service named 'nope'\n");
    }

    @Test
    void aConflictingActionSaysWhy() {
        CliRun r = berth(Map.of(), "rollout", "pause", "web", "--token", "t");
        assertThat(r.code()).as(r.toString()).isEqualTo(Exit.REFUSED);
        assertThat(r.err()).contains("409: no rollout in progress for web (phase Available)");
    }

    @Test
    void anUnreachableDaemonIsNamedWithWhereItsAddressCameFrom() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        CliRun r = berth(Map.of(), "get", "services", "--server", "http://127.0.0.1:" + closed);
        assertThat(r.code()).as(r.toString()).isEqualTo(Exit.UNREACHABLE);
        assertThat(r.err()).contains("cannot reach Berth at http://127.0.0.1:" + closed)
                .contains("--server, BERTH_SERVER or the config file");
    }

    @Test
    void aWrongCommandLineIsAUsageError() {
        CliRun r = berth(Map.of(), "get", "services", "--colour");
        assertThat(r.code()).as(r.toString()).isEqualTo(Exit.USAGE);
        assertThat(r.err()).contains("Unknown option: '--colour'");
        assertThat(berth(Map.of(), "frobnicate").code()).isEqualTo(Exit.USAGE);
        assertThat(berth(Map.of(), "apply", "--wait").err()).contains("Missing required option: '--filename=FILE|DIR'");
        assertThat(berth(Map.of(), "apply", "-f", "x", "--timeout", "soon").err())
                .contains("'soon' is not a duration like 90s, 5m, 1h or 1m30s");
        assertThat(daemon.requests).isEmpty();
    }
}
