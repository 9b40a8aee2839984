package dev.berth.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium, driven over the Chrome DevTools Protocol (one WebSocket, JSON via
 * Jackson): only what the status page tests need. Missing Chromium is a failure, never a skip;
 * CI installs it (.ci/lib/browser.sh). The viewport is {@link #WIDTH}×{@link #HEIGHT} at scale 1,
 * so a screenshot has exactly that size. Script errors, and console or security errors (a CSP
 * violation), are collected in {@link #pageErrors()}; failed network loads (a 401) are not.
 */
final class Chromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final int WIDTH = 1280;
    static final int HEIGHT = 900;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path dir;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> pageErrors = new CopyOnWriteArrayList<>();
    private String session;

    private Chromium(Process process, Path dir, int port, String browserPath) throws Exception {
        this.process = process;
        this.dir = dir;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + browserPath), new Listener())
                .get(10, TimeUnit.SECONDS);
    }

    static Chromium start() throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: install Debian's chromium package (.ci/lib/browser.sh does)");
        }
        Path dir = Files.createTempDirectory("berth-chromium");
        Path profile = Files.createDirectories(dir.resolve("profile"));
        Process process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
                "--window-size=" + WIDTH + "," + HEIGHT, "about:blank")
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> lines = List.of();
        while (lines.size() < 2) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError("chromium did not open its DevTools port: " + Files.readString(dir.resolve("chromium.log")));
            }
            Thread.sleep(100);
            lines = Files.exists(portFile) ? Files.readAllLines(portFile) : List.of();
        }
        Chromium chromium = new Chromium(process, dir, Integer.parseInt(lines.get(0).strip()), lines.get(1).strip());
        chromium.openPage();
        return chromium;
    }

    private void openPage() {
        String target = send("Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
        session = send("Target.attachToTarget", Map.of("targetId", target, "flatten", true)).get("sessionId").asText();
        send("Page.enable", Map.of());
        send("Runtime.enable", Map.of());
        send("Log.enable", Map.of());
        send("Emulation.setDeviceMetricsOverride", Map.of("width", WIDTH, "height", HEIGHT, "deviceScaleFactor", 1, "mobile", false));
    }

    /** Loads the URL and waits until its document has loaded. */
    void navigate(String url) {
        send("Page.navigate", Map.of("url", url));
        waitFor("page " + url + " loaded", "location.href === " + quote(url) + " && document.readyState === 'complete'",
                Duration.ofSeconds(20));
    }

    /** The value of a JavaScript expression (promises awaited); an exception in the page fails. */
    JsonNode evaluate(String expression) {
        JsonNode result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("script failed: " + expression + ": " + result.get("exceptionDetails"));
        }
        JsonNode value = result.path("result").get("value");
        return value == null ? NullNode.getInstance() : value;
    }

    /** Polls a JavaScript condition until it is true; on timeout fails with what the page shows. */
    void waitFor(String what, String condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!evaluate("!!(" + condition + ")").asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting for " + what + "; the page shows:\n"
                        + evaluate("document.body ? document.body.innerText.slice(0, 3000) : ''").asText()
                        + "\npage errors: " + pageErrors);
            }
            sleep(200);
        }
    }

    /** A real mouse click (move, press, release) at the middle of the element, scrolled into view. */
    void click(String selector) {
        JsonNode at = evaluate("(() => { const e = document.querySelector(" + quote(selector) + "); if (!e) return null;"
                + " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
        if (at.isNull()) {
            throw new AssertionError("nothing to click: " + selector);
        }
        double x = at.get("x").asDouble();
        double y = at.get("y").asDouble();
        send("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
        send("Input.dispatchMouseEvent", Map.of("type", "mousePressed", "x", x, "y", y, "button", "left", "clickCount", 1));
        send("Input.dispatchMouseEvent", Map.of("type", "mouseReleased", "x", x, "y", y, "button", "left", "clickCount", 1));
    }

    /** A PNG of the viewport. */
    byte[] screenshot() {
        return Base64.getDecoder().decode(send("Page.captureScreenshot", Map.of("format", "png")).get("data").asText());
    }

    /** Script exceptions and console/security errors the page has had so far. */
    List<String> pageErrors() {
        return List.copyOf(pageErrors);
    }

    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode send(String method, Map<String, Object> params) {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        if (session != null) {
            message.put("sessionId", session);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            synchronized (socket) {
                socket.sendText(message.toString(), true).get(10, TimeUnit.SECONDS);
            }
            JsonNode response = answer.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (response.has("error")) {
                throw new AssertionError(method + " failed: " + response.get("error"));
            }
            return response.path("result");
        } catch (Exception e) {
            throw new AssertionError(method + ": " + e, e);
        } finally {
            pending.remove(id);
        }
    }

    private void onMessage(String text) throws IOException {
        JsonNode m = JSON.readTree(text);
        if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.get(m.get("id").asInt());
            if (f != null) {
                f.complete(m);
            }
            return;
        }
        JsonNode p = m.path("params");
        switch (m.path("method").asText()) {
            case "Runtime.exceptionThrown" -> pageErrors.add("exception: " + p.path("exceptionDetails").path("exception")
                    .path("description").asText(p.path("exceptionDetails").path("text").asText()));
            case "Runtime.consoleAPICalled" -> {
                if ("error".equals(p.path("type").asText())) {
                    pageErrors.add("console.error: " + p.path("args"));
                }
            }
            case "Log.entryAdded" -> {
                JsonNode entry = p.path("entry");
                if ("error".equals(entry.path("level").asText()) && !"network".equals(entry.path("source").asText())) {
                    pageErrors.add(entry.path("source").asText() + ": " + entry.path("text").asText());
                }
            }
            default -> { }
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder parts = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            parts.append(data);
            if (last) {
                String text = parts.toString();
                parts.setLength(0);
                try {
                    onMessage(text);
                } catch (IOException e) {
                    pageErrors.add("unreadable DevTools message: " + e);
                }
            }
            ws.request(1);
            return null;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            // Without waiting for an answer: the browser may go before it sends one.
            socket.sendText("{\"id\":0,\"method\":\"Browser.close\"}", true).get(5, TimeUnit.SECONDS);
        } catch (Exception alreadyGone) {
            // the process is stopped below either way
        }
        socket.abort();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
