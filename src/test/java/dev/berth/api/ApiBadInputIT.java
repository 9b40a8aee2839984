package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Hostile and bad input to the REST API of the daemon as shipped, against the real engine: a
 * table of requests, each with the 4xx it must get, in the API's error format ({"status", "message"}),
 * never a 500; then the service is checked to be exactly as before (revision, containers,
 * history, no action event). Last, conflicting actions sent at once: each gets 202 or a 4xx, and
 * the service settles with one revision and the right number of replicas.
 */
@QuarkusTest
@QuarkusTestResource(value = HostileProjectResource.class, restrictToAnnotatedClass = true)
@TestProfile(ApiBadInputIT.OwnApplication.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiBadInputIT {
    /** An application (and project) of its own. */
    public static class OwnApplication implements QuarkusTestProfile {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String AUTH = "AUTH";

    @TestHTTPResource("/")
    URL base;

    /** One hostile request and the status it must get; {@code json} false where the HTTP layer answers before the API. */
    record Row(String name, String method, String path, Map<String, String> headers, byte[] body, Set<Integer> expected,
            boolean json) {
        static Row of(String name, String method, String path, String contentType, String body, int... expected) {
            Map<String, String> h = contentType == null ? Map.of("Authorization", AUTH) : Map.of("Authorization", AUTH,
                    "Content-Type", contentType);
            return new Row(name, method, path, h, body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    set(expected), true);
        }

        Row headers(Map<String, String> h) {
            return new Row(name, method, path, h, body, expected, json);
        }

        Row bytes(byte[] b) {
            return new Row(name, method, path, headers, b, expected, json);
        }

        Row plain() {
            return new Row(name, method, path, headers, body, expected, false);
        }

        private static Set<Integer> set(int... codes) {
            Set<Integer> s = new java.util.TreeSet<>();
            for (int c : codes) {
                s.add(c);
            }
            return s;
        }
    }

    static final String W = "/api/v1/services/web";

    static List<Row> table() {
        byte[] huge = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) '{');
        byte[] garbage = new byte[4096];
        new java.util.Random(9).nextBytes(garbage);
        String longName = "a".repeat(3000);
        return List.of(
                // malformed and wrong bodies
                Row.of("truncated JSON", "POST", W + "/rollback", "application/json", "{", 400),
                Row.of("not JSON at all", "POST", W + "/rollback", "text/plain", "roll back please", 400),
                Row.of("XML body", "POST", W + "/rollback", "application/xml", "<revision>1</revision>", 400),
                Row.of("random bytes", "POST", W + "/rollback", "application/octet-stream", null, 400).bytes(garbage),
                Row.of("bare number", "POST", W + "/rollback", "application/json", "1", 400),
                Row.of("array", "POST", W + "/rollback", "application/json", "[1]", 400),
                Row.of("misspelt field", "POST", W + "/rollback", "application/json", "{\"revison\": 1}", 400),
                Row.of("extra field", "POST", W + "/rollback", "application/json", "{\"revision\": 1, \"force\": true}", 400),
                Row.of("non-numeric revision", "POST", W + "/rollback", "application/json", "{\"revision\": \"abc\"}", 400),
                Row.of("revision as a string", "POST", W + "/rollback", "application/json", "{\"revision\": \"1\"}", 400),
                Row.of("fractional revision", "POST", W + "/rollback", "application/json", "{\"revision\": 1.5}", 400),
                Row.of("revision 0", "POST", W + "/rollback", "application/json", "{\"revision\": 0}", 400),
                Row.of("negative revision", "POST", W + "/rollback", "application/json", "{\"revision\": -2}", 400),
                Row.of("revision beyond int", "POST", W + "/rollback", "application/json", "{\"revision\": 1e99}", 400),
                Row.of("trailing garbage", "POST", W + "/rollback", "application/json", "{\"revision\": 1} x", 400),
                Row.of("duplicate key", "POST", W + "/rollback", "application/json", "{\"revision\": 1, \"revision\": 2}", 400),
                Row.of("nonsense content type", "POST", W + "/rollback", "garbage", "{}", 400, 415),
                Row.of("deeply nested JSON", "POST", W + "/rollback", "application/json", "[".repeat(5000), 400),
                // huge bodies: refused before they are read
                Row.of("2 MiB rollback body", "POST", W + "/rollback", "application/json", null, 413).bytes(huge).plain(),
                Row.of("2 MiB restart body", "POST", W + "/restart", "application/json", null, 413).bytes(huge).plain(),
                // unknown services and revisions
                Row.of("unknown service", "GET", "/api/v1/services/nope", null, null, 404),
                Row.of("unknown service's revisions", "GET", "/api/v1/services/nope/revisions", null, null, 404),
                Row.of("unknown service's health", "GET", "/api/v1/services/nope/health", null, null, 404),
                Row.of("restart an unknown service", "POST", "/api/v1/services/nope/restart", null, null, 404),
                Row.of("roll back an unknown service", "POST", "/api/v1/services/nope/rollback", "application/json",
                        "{\"revision\": 1}", 404),
                Row.of("unknown revision", "POST", W + "/rollback", "application/json", "{\"revision\": 99}", 404),
                Row.of("already at the revision", "POST", W + "/rollback", "application/json", "{\"revision\": 1}", 409),
                Row.of("nothing to roll back to", "POST", W + "/rollback", null, null, 409),
                Row.of("nothing to pause", "POST", W + "/pause", null, null, 409),
                Row.of("nothing to resume", "POST", W + "/resume", null, null, 409),
                Row.of("nothing to retry", "POST", W + "/retry", null, null, 409),
                Row.of("service from a rejected file", "POST", "/api/v1/services/broken/restart", null, null, 404),
                // query parameters an action does not take
                Row.of("rollback ?revision=", "POST", W + "/rollback?revision=1", null, null, 400),
                Row.of("restart ?dryRun=true", "POST", W + "/restart?dryRun=true", null, null, 400),
                Row.of("events ?limit=abc", "GET", "/api/v1/events?limit=abc", null, null, 400),
                Row.of("events ?after=-1", "GET", "/api/v1/events?after=-1", null, null, 400),
                Row.of("events ?after=huge", "GET", "/api/v1/events?after=99999999999999999999999", null, null, 400),
                Row.of("stream ?after=abc", "GET", "/api/v1/events/stream?after=abc", null, null, 400),
                // path tricks
                Row.of("dot-dot segments", "POST", W + "/restart/..", null, null, 404, 405),
                Row.of("encoded dot-dot", "POST", "/api/v1/services/%2e%2e/web/restart", null, null, 404),
                Row.of("encoded slash", "POST", "/api/v1/services/web%2Frestart", null, null, 404, 405),
                Row.of("encoded slash to a file", "GET", "/api/v1/services/..%2F..%2F..%2Fetc%2Fpasswd", null, null, 404),
                Row.of("encoded NUL", "GET", "/api/v1/services/web%00", null, null, 400, 404),
                Row.of("long service name", "GET", "/api/v1/services/" + longName, null, null, 404),
                Row.of("very long path", "GET", "/api/v1/services/" + "a".repeat(20_000), null, null, 414).plain(),
                Row.of("unknown API path", "GET", "/api/v1/nothing", null, null, 404),
                Row.of("unknown action", "POST", W + "/destroy", null, null, 404, 405),
                // methods and media types
                Row.of("DELETE a service", "DELETE", W, null, null, 405),
                Row.of("PUT a service", "PUT", W, "application/json", "{}", 405),
                Row.of("GET an action", "GET", W + "/restart", null, null, 405),
                Row.of("HTML wanted", "GET", W, null, null, 406).headers(Map.of("Authorization", AUTH, "Accept", "text/html")),
                // tokens
                Row.of("no token", "POST", W + "/restart", null, null, 401).headers(Map.of()),
                Row.of("wrong token", "POST", W + "/restart", null, null, 401).headers(Map.of("Authorization", "Bearer wrong")),
                Row.of("empty bearer", "POST", W + "/restart", null, null, 401).headers(Map.of("Authorization", "Bearer ")),
                Row.of("basic auth", "POST", W + "/restart", null, null, 401).headers(Map.of("Authorization", "Basic dXNlcjpwYXNz")),
                Row.of("token with a suffix", "POST", W + "/restart", null, null, 401)
                        .headers(Map.of("Authorization", "Bearer " + HostileProjectResource.TOKEN + "x")),
                Row.of("a prefix of the token", "POST", W + "/restart", null, null, 401)
                        .headers(Map.of("Authorization", "Bearer " + HostileProjectResource.TOKEN.substring(0, 10))),
                Row.of("a 6 KB token", "POST", W + "/restart", null, null, 401)
                        .headers(Map.of("Authorization", "Bearer " + "t".repeat(6000))),
                Row.of("no token, huge body", "POST", W + "/rollback", "application/json", null, 401, 413).bytes(huge)
                        .headers(Map.of("Content-Type", "application/json")).plain());
    }

    @BeforeEach
    void webIsUp() {
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            JsonNode web = get(W);
            return web != null && List.of("Available", "RolledBack").contains(web.path("phase").asText());
        });
    }

    @Test
    @Order(1)
    void everyBadRequestGetsAClear4xxAndNothingChanges() throws Exception {
        JsonNode before = get(W);
        JsonNode revisionsBefore = get(W + "/revisions");
        List<String> failures = new ArrayList<>();
        List<String> report = new ArrayList<>();
        for (Row row : table()) {
            HttpResponse<String> answer;
            try {
                answer = send(row);
            } catch (java.io.IOException e) {
                failures.add(row.name() + ": " + e); // a reset without an answer is not a clear 4xx
                continue;
            }
            String what = row.name() + ": " + row.method() + " " + clip(row.path()) + " → " + answer.statusCode() + " "
                    + clip(answer.body());
            report.add(what);
            if (!row.expected().contains(answer.statusCode())) {
                failures.add(what + " (expected " + row.expected() + ")");
                continue;
            }
            if (row.json()) {
                JsonNode error;
                try {
                    error = JSON.readTree(answer.body());
                } catch (Exception notJson) {
                    failures.add(what + " (not the API's JSON error format)");
                    continue;
                }
                if (error == null || error.path("status").asInt() != answer.statusCode()
                        || error.path("message").asText().isBlank()
                        || !answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                    failures.add(what + " (not the API's JSON error format)");
                }
            }
        }
        java.nio.file.Files.write(java.nio.file.Path.of("target", "api-bad-input.txt"), report); // for docs/reliability.md
        assertThat(failures).as("requests not answered as they must be").isEmpty();

        // Nothing changed: same revision, same containers, same history, no action event.
        JsonNode after = get(W);
        assertThat(after.path("revision").asInt()).isEqualTo(before.path("revision").asInt()).isEqualTo(1);
        assertThat(ids(after)).isEqualTo(ids(before));
        assertThat(get(W + "/revisions")).isEqualTo(revisionsBefore);
        List<String> reasons = new ArrayList<>();
        get("/api/v1/events?service=web").forEach(e -> reasons.add(e.path("reason").asText()));
        assertThat(reasons).doesNotContain("RestartRequested", "RollbackRequested", "PauseRequested", "ResumeRequested", "RetryRequested");
    }

    @Test
    @Order(2)
    void conflictingActionsAtOnceEachGet202Or4xxAndTheServiceSettles() throws Exception {
        // A second revision, so that a rollback has somewhere to go.
        assertThat(send(Row.of("restart", "POST", W + "/restart", null, null, 202)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(90)).until(() -> get(W).path("revision").asInt() == 2
                && "Available".equals(get(W).path("phase").asText()));

        List<List<Row>> rounds = List.of(
                List.of(Row.of("rollback", "POST", W + "/rollback", null, null), Row.of("restart", "POST", W + "/restart", null, null)),
                List.of(Row.of("rollback", "POST", W + "/rollback", null, null), Row.of("rollback", "POST", W + "/rollback", null, null)),
                List.of(Row.of("restart", "POST", W + "/restart", null, null), Row.of("pause", "POST", W + "/pause", null, null),
                        Row.of("rollback to 1", "POST", W + "/rollback", "application/json", "{\"revision\": 1}", 0),
                        Row.of("restart", "POST", W + "/restart", null, null)));
        for (List<Row> round : rounds) {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (Row r : round) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        return send(r);
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }));
            }
            go.countDown();
            for (int i = 0; i < round.size(); i++) {
                HttpResponse<String> a = answers.get(i).get();
                assertThat(a.statusCode()).as(round.get(i).name() + " → " + a.body()).isIn(202, 404, 409);
                if (a.statusCode() != 202) {
                    assertThat(JSON.readTree(a.body()).path("status").asInt()).isEqualTo(a.statusCode());
                }
            }
            // A paused rollout is resumed so that the round can settle.
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                JsonNode s = get(W);
                if ("Paused".equals(s.path("phase").asText())) {
                    send(Row.of("resume", "POST", W + "/resume", null, null));
                }
                return settled(s);
            });
        }
    }

    /** Settled: not rolling, exactly the desired replicas, all running, ready and of the status' revision. */
    private static boolean settled(JsonNode s) {
        if (!List.of("Available", "RolledBack").contains(s.path("phase").asText())) {
            return false;
        }
        int desired = s.path("replicas").path("desired").asInt();
        JsonNode cs = s.path("containers");
        if (cs.size() != desired || s.path("replicas").path("ready").asInt() != desired) {
            return false;
        }
        for (JsonNode c : cs) {
            if (c.path("revision").asInt() != s.path("revision").asInt() || !"running".equals(c.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    private static List<String> ids(JsonNode service) {
        List<String> ids = new ArrayList<>();
        service.path("containers").forEach(c -> ids.add(c.path("id").asText()));
        return ids;
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> a = send(Row.of("get", "GET", path, null, null));
        return a.statusCode() == 200 ? JSON.readTree(a.body()) : null;
    }

    private HttpResponse<String> send(Row row) throws Exception {
        HttpRequest.BodyPublisher body = row.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(row.body());
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + base.getPort() + row.path()))
                .timeout(Duration.ofSeconds(30)).method(row.method(), body)
                // As curl does for large bodies: the server may refuse one before it is sent. Without
                // it the refusal races the upload, and a client still writing may see a reset instead.
                .expectContinue(row.body() != null && row.body().length > 64 * 1024);
        row.headers().forEach((k, v) -> b.header(k, v.equals(AUTH) ? "Bearer " + HostileProjectResource.TOKEN : v));
        if (row.path().contains("/stream")) {
            HttpResponse<java.io.InputStream> s = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (var in = s.body()) {
                String text = s.statusCode() == 200 ? "(stream)" : new String(in.readAllBytes());
                return new Fixed(s, text);
            }
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A streamed answer read to a string (only when it is an error, which ends). */
    private record Fixed(HttpResponse<?> r, String body) implements HttpResponse<String> {
        public int statusCode() { return r.statusCode(); }
        public HttpRequest request() { return r.request(); }
        public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
        public java.net.http.HttpHeaders headers() { return r.headers(); }
        public URI uri() { return r.uri(); }
        public HttpClient.Version version() { return r.version(); }
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return r.sslSession(); }
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() <= 160 ? s : s.substring(0, 160) + "…";
    }
}
