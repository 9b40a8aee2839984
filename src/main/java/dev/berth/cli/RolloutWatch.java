package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows services by polling their status until each one's rollout ends, printing a line each
 * time a service's phase, revision, ready count or message changes. Ends at the first failure
 * ({@link Exit#FAILED}: the pipeline gate fails fast), when all succeeded ({@link Exit#OK}), or
 * at the deadline ({@link Exit#TIMEOUT}).
 */
final class RolloutWatch {
    private final Api api;
    private final PrintWriter out;
    private final Duration timeout;
    private final Duration poll;

    RolloutWatch(Api api, PrintWriter out, Duration timeout, Duration poll) {
        this.api = api;
        this.out = out;
        this.timeout = timeout;
        this.poll = poll;
    }

    /** @param expected service name to the manifestHash to wait for (null: the phase alone) */
    int await(Map<String, String> expected) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> pending = new LinkedHashMap<>(expected);
        Map<String, String> shown = new HashMap<>();
        Map<String, String> last = new HashMap<>();
        while (true) {
            for (String name : new ArrayList<>(pending.keySet())) {
                Answer a = api.send("GET", "/api/v1/services/" + Api.segment(name), null, null);
                if (a.status() == 404) {
                    say(shown, last, name, name + ": not declared yet, waiting for Berth to read the manifest");
                    continue;
                }
                JsonNode status = api.expectOk(a).json();
                Verdict v = Verdict.of(status, pending.get(name));
                if (v == Verdict.PENDING && pending.get(name) != null
                        && !pending.get(name).equals(Json.text(status, "manifestHash"))) {
                    say(shown, last, name, name + ": waiting for Berth to load the new manifest");
                    continue;
                }
                say(shown, last, name, progress(name, status));
                if (v == Verdict.FAILED) {
                    String others = pending.size() > 1 ? " (not waited for: "
                            + String.join(", ", pending.keySet().stream().filter(n -> !n.equals(name)).toList()) + ")" : "";
                    throw new CliFailure(Exit.FAILED, "rollout of " + name + " failed: " + Json.text(status, "phase")
                            + ": " + Verdict.reason(status) + others);
                }
                if (v == Verdict.SUCCEEDED) {
                    out.println(name + ": rollout complete (" + Json.text(status, "phase") + ", revision "
                            + status.path("revision").asInt() + ")");
                    out.flush();
                    pending.remove(name);
                }
            }
            if (pending.isEmpty()) {
                return Exit.OK;
            }
            if (System.nanoTime() >= deadline) {
                List<String> where = new ArrayList<>();
                pending.keySet().forEach(n -> where.add(n + " (" + last.getOrDefault(n, "no status") + ")"));
                throw new CliFailure(Exit.TIMEOUT, "timed out after " + DurationConverter.words(timeout) + " waiting for "
                        + String.join(", ", where));
            }
            try {
                Thread.sleep(Math.max(1, Math.min(poll.toMillis(), (deadline - System.nanoTime()) / 1_000_000 + 1)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliFailure(Exit.FAILED, "interrupted");
            }
        }
    }

    private void say(Map<String, String> shown, Map<String, String> last, String name, String line) {
        last.put(name, line.substring(name.length() + 2));
        if (!line.equals(shown.put(name, line))) {
            out.println(line);
            out.flush();
        }
    }

    static String progress(String name, JsonNode s) {
        JsonNode r = s.path("replicas");
        String message = Verdict.reason(s);
        return name + ": " + Json.text(s, "phase") + ", revision " + s.path("revision").asInt() + ", "
                + r.path("ready").asInt() + "/" + r.path("desired").asInt() + " ready, " + r.path("updated").asInt()
                + " updated" + (message.isEmpty() ? "" : ": " + message);
    }
}
