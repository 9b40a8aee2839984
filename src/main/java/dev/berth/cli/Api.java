package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The daemon's REST API (docs/api.md). Every failure becomes a {@link CliFailure} whose message
 * says what to do: an unreachable daemon, a missing or wrong token (401), an unknown name (404),
 * invalid manifests (422 with each problem).
 *
 * <p>Over {@link HttpURLConnection}, not {@code java.net.http.HttpClient}: on Java 17 the latter
 * keeps a selector thread waiting in native code, and the JVM's exit waits up to 300 ms for such
 * threads, on every call; building it also parses the JDK's CA certificates (docs/cli.md#start-up).
 */
final class Api {
    private static final int CONNECT_MILLIS = 5_000;
    private static final int READ_MILLIS = 60_000;

    private final Target target;

    Api(Target target) {
        this.target = target;
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
        try {
            HttpURLConnection c = open(path, READ_MILLIS);
            c.setRequestMethod(method);
            if (contentType != null) {
                c.setRequestProperty("Content-Type", contentType);
            }
            // No body: no output stream either, so no Content-Type is invented (an action takes none).
            if (body != null) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(bytes.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = c.getResponseCode();
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** A streaming GET (logs, events): the body as it arrives, no read timeout; a non-2xx answer throws. */
    InputStream stream(String path) {
        try {
            HttpURLConnection c = open(path, 0);
            int status = c.getResponseCode();
            if (status < 200 || status >= 300) {
                String body;
                try (InputStream in = c.getErrorStream()) {
                    body = in == null ? "" : new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                }
                throw failure(new Answer(status, body));
            }
            return c.getInputStream();
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private HttpURLConnection open(String path, int readMillis) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(target.server() + path).openConnection();
        c.setConnectTimeout(CONNECT_MILLIS);
        c.setReadTimeout(readMillis);
        c.setUseCaches(false);
        c.setInstanceFollowRedirects(false);
        if (target.token() != null) {
            c.setRequestProperty("Authorization", "Bearer " + target.token());
        }
        return c;
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
