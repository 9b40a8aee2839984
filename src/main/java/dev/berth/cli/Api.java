package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The daemon's REST API (docs/api.md) over the JDK's HTTP client. Every failure becomes a
 * {@link CliFailure} whose message says what to do: an unreachable daemon, a missing or wrong
 * token (401), an unknown name (404), invalid manifests (422 with each problem).
 */
final class Api {
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration REQUEST = Duration.ofSeconds(60);

    private final Target target;
    private final HttpClient http;

    Api(Target target) {
        this.target = target;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT).build();
    }

    Target target() {
        return target;
    }

    JsonNode getJson(String path) {
        return expectOk(send("GET", path, null, null)).json();
    }

    JsonNode postJson(String path, String jsonBody) {
        return expectOk(send("POST", path, jsonBody, jsonBody == null ? null : "application/json")).json();
    }

    /** Sends a request and returns the answer whatever its status; only transport failures throw. */
    Answer send(String method, String path, String body, String contentType) {
        HttpRequest.Builder b = request(path).timeout(REQUEST);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(Exit.FAILED, "interrupted");
        }
    }

    /** A streaming GET (logs, events): the body as it arrives; a non-2xx answer throws. */
    InputStream stream(String path) {
        try {
            HttpResponse<InputStream> r = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() < 200 || r.statusCode() >= 300) {
                String body;
                try (InputStream in = r.body()) {
                    body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                }
                throw failure(new Answer(r.statusCode(), r.headers(), body));
            }
            return r.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(Exit.FAILED, "interrupted");
        }
    }

    Answer expectOk(Answer a) {
        if (!a.ok()) {
            throw failure(a);
        }
        return a;
    }

    /** The error answer as a CliFailure: what happened and, for 401, how to pass a token. */
    CliFailure failure(Answer a) {
        String message = errorMessage(a);
        if (a.status() == 401) {
            String how = target.token() == null
                    ? "No token was sent: pass it with --token, BERTH_API_TOKEN, or token/token-file of a context in "
                            + "~/.config/berth/config.yaml. On the daemon's host it is in <state-dir>/api-token "
                            + "(sudo cat /var/lib/berth/api-token)."
                    : "The token came from " + target.tokenSource() + "; it is not the daemon's (berth.api.token, or "
                            + "<state-dir>/api-token on the daemon's host).";
            return new CliFailure(Exit.REFUSED, "Berth at " + target.server() + " refused the request (401 Unauthorized): "
                    + message + "\n" + how);
        }
        if (a.status() == 422) {
            StringBuilder b = new StringBuilder("invalid manifest: " + message);
            JsonNode problems = json(a).path("problems");
            for (JsonNode p : problems) {
                b.append('\n').append(Problems.line(p));
            }
            return new CliFailure(Exit.FAILED, b.toString());
        }
        return new CliFailure(Exit.REFUSED, "Berth answered " + a.status() + ": " + message);
    }

    private static String errorMessage(Answer a) {
        String m = Json.text(json(a), "message");
        if (m != null) {
            return m;
        }
        String body = a.body() == null ? "" : a.body().strip();
        return body.isEmpty() ? "(no message)" : body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    private static JsonNode json(Answer a) {
        try {
            return Json.MAPPER.readTree(a.body() == null || a.body().isBlank() ? "{}" : a.body());
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.server() + path));
        if (target.token() != null) {
            b.header("Authorization", "Bearer " + target.token());
        }
        return b;
    }

    private CliFailure unreachable(IOException e) {
        String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        if (e instanceof java.net.ConnectException && (e.getMessage() == null || e.getMessage().isBlank())) {
            why = "connection refused";
        }
        return new CliFailure(Exit.UNREACHABLE, "cannot reach Berth at " + target.server() + " (" + why + "). "
                + "Is the daemon running there? The address comes from --server, BERTH_SERVER or the config file.");
    }

    /** A path segment (a service or file name) percent-encoded. */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A relative file path, each segment encoded, slashes kept. */
    static String filePath(String relative) {
        StringBuilder b = new StringBuilder();
        for (String part : relative.replace('\\', '/').split("/")) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(segment(part));
        }
        return b.toString();
    }
}
