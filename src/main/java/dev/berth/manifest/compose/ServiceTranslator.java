package dev.berth.manifest.compose;

import static dev.berth.manifest.compose.BerthDoc.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.desired.DesiredState;
import dev.berth.manifest.FileLooks;
import dev.berth.manifest.LocatedDocument;
import dev.berth.manifest.Problem;
import dev.berth.manifest.Quantities;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes one Compose service as a Berth {@code kind: Service} document. Only the shape changes
 * here; what the values mean (files exist, host paths allowed, quantities) is checked by the
 * same schema and binder as Berth's own manifests. Keys Berth does not honour are problems.
 */
final class ServiceTranslator {
    static final Pattern BERTH_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    private static final Pattern COMPOSE_MEMORY = Pattern.compile("(?i)^([0-9]+(?:\\.[0-9]+)?)\\s*([bkmg]?)b?$");
    private static final Set<String> SUPPORTED = Set.of("image", "command", "entrypoint", "environment", "env_file",
            "ports", "volumes", "networks", "healthcheck", "depends_on", "deploy", "restart", "labels", "user",
            "working_dir", "stop_grace_period", "stop_signal", "init", "pull_policy", "expose", "secrets", "configs", "x-berth");

    private final ComposeTree t;
    private final String file;
    private final Path dir;
    private final Function<String, String> env;
    private final List<Problem> problems;

    ServiceTranslator(ComposeTree t, String file, Path dir, Function<String, String> env, List<Problem> problems) {
        this.t = t;
        this.file = file;
        this.dir = dir;
        this.env = env;
        this.problems = problems;
    }

    LocatedDocument translate(String name, ObjectNode s, String sp) {
        BerthDoc d = new BerthDoc(t, "Service", name, sp);
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            String kp = LocatedDocument.child(sp, k);
            JsonNode v = s.get(k);
            if (k.startsWith("x-") && !k.equals("x-berth")) {
                continue;
            }
            if (t.refused(kp)) {
                continue; // the schema has said why
            }
            if (!SUPPORTED.contains(k)) {
                problem(kp, Refusals.SERVICE.getOrDefault(k, "is not a Compose key Berth knows (see docs/compose.md)"));
                continue;
            }
            if (v.isNull()) {
                continue; // `key:` with nothing after it: as if not written, as Compose reads it
            }
            switch (k) {
                case "image" -> d.put("image", v, kp);
                case "command", "entrypoint" -> command(d, k, v, kp);
                case "environment" -> environment(d, v, kp);
                case "env_file" -> envFiles(d, v, kp);
                case "ports" -> new PortTranslator(d, kp, this::problem).ports(v);
                case "volumes" -> volumes(d, v, kp);
                case "networks" -> networks(d, v, kp);
                case "healthcheck" -> healthcheck(d, v, kp);
                case "depends_on" -> dependsOn(d, v, kp);
                case "deploy" -> new DeployTranslator(d, kp, this::problem).deploy(v);
                case "restart" -> restart(d, v, kp);
                case "labels" -> d.put("labels", stringMap(v), kp);
                case "user" -> d.put("user", NODES.textNode(v.asText()), kp);
                case "working_dir" -> d.put("workingDir", v, kp);
                case "stop_grace_period" -> d.put("stopGracePeriod", v, kp);
                case "stop_signal" -> d.put("stopSignal", v, kp);
                case "init" -> d.put("init", v, kp);
                case "pull_policy" -> pullPolicy(d, v, kp);
                case "secrets" -> new FileMounts(t, this::problem).secrets(d, v, kp);
                case "configs" -> new FileMounts(t, this::problem).configs(d, v, kp);
                case "expose" -> { } // documents ports; on a network every port of a service is reachable anyway
                case "x-berth" -> { } // applied last, below
                default -> throw new IllegalStateException(k);
            }
        }
        if (!s.has("image") || s.get("image").isNull()) {
            problem(sp, s.has("build") ? "needs an image: Berth runs images and never builds them"
                    : "needs an image");
        }
        JsonNode own = s.get("x-berth");
        if (own != null && own.isObject()) {
            String op = LocatedDocument.child(sp, "x-berth");
            {
                // Berth's own words win whole: a field given here replaces what the Compose keys made of it.
                own.fieldNames().forEachRemaining(k -> d.put(k, own.get(k).deepCopy(), LocatedDocument.child(op, k)));
            }
        }
        return d.done(file);
    }

    private void command(BerthDoc d, String key, JsonNode v, String kp) {
        if (v.isNull()) {
            return;
        }
        if (v.isTextual()) {
            try {
                ArrayNode a = NODES.arrayNode();
                Words.split(v.asText()).forEach(a::add);
                d.put(key, a, kp);
            } catch (IllegalArgumentException e) {
                problem(kp, e.getMessage());
            }
        } else {
            d.put(key, v, kp);
        }
    }

    private void environment(BerthDoc d, JsonNode v, String kp) {
        if (!v.isObject()) {
            problem(kp, "must be a mapping or a list of KEY=VALUE");
            return;
        }
        ObjectNode out = NODES.objectNode();
        d.put("env", out, kp);
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (t.refused(kp, e.getKey())) {
                continue;
            }
            String value = e.getValue().isNull() ? env.apply(e.getKey()) : e.getValue().isValueNode() ? e.getValue().asText() : null;
            if (!e.getValue().isNull() && !e.getValue().isValueNode()) {
                problem(LocatedDocument.child(kp, e.getKey()), "must be a string, a number or a boolean");
            } else if (value != null) {
                // A KEY without a value takes the variable from .env or Berth's environment; unset, it is left out.
                d.put(out, "/spec/env", e.getKey(), NODES.textNode(value), LocatedDocument.child(kp, e.getKey()));
            }
        }
    }

    private void envFiles(BerthDoc d, JsonNode v, String kp) {
        ArrayNode out = NODES.arrayNode();
        d.put("envFiles", out, kp);
        List<JsonNode> items = v.isArray() ? iterable(v) : List.of(v);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String ip = v.isArray() ? kp + "/" + i : kp;
            if (t.refused(ip)) {
                continue;
            }
            String path = item.isTextual() ? item.asText() : item.path("path").asText(null);
            if (path == null) {
                problem(ip, "give a file name, or {path, required}");
                continue;
            }
            if (item.isObject()) {
                Keys.refuseOthers(t, item, ip, Set.of("path", "required"),
                        (k, p) -> problem(p, "is not supported (only path and required)"));
                if (!item.path("required").asBoolean(true) && !FileLooks.isRegularFile(dir.resolve(path))) {
                    continue; // required: false, and absent: Compose skips it
                }
            }
            d.add(out, "/spec/envFiles", NODES.textNode(path), item.isObject() ? LocatedDocument.child(ip, "path") : ip);
        }
    }

    private void volumes(BerthDoc d, JsonNode v, String kp) {
        ArrayNode out = NODES.arrayNode();
        d.put("volumes", out, kp);
        for (int i = 0; i < v.size(); i++) {
            String ip = kp + "/" + i;
            if (t.refused(ip)) {
                continue;
            }
            ObjectNode m = v.get(i).isTextual() ? shortVolume(v.get(i).asText(), ip) : longVolume(v.get(i), ip);
            if (m != null) {
                d.add(out, "/spec/volumes", m, ip);
            }
        }
    }

    private ObjectNode shortVolume(String text, String ip) {
        Mounts.Short s = Mounts.parse(text);
        if (s == null) {
            problem(ip, "'" + text + "' is not SOURCE:TARGET[:MODE]");
            return null;
        }
        if (s.source() == null) {
            problem(ip, "an anonymous volume (a target alone) is not supported: its data would be lost on every "
                    + "update; name the volume and declare it under the top-level volumes");
            return null;
        }
        ObjectNode m = source(s.source(), s.isBind(), ip);
        if (m == null) {
            return null;
        }
        m.put("target", s.target());
        if (s.mode() != null) {
            for (String opt : s.mode().split(",")) {
                if (opt.equals("ro")) {
                    m.put("readOnly", true);
                } else if (!opt.equals("rw")) {
                    problem(ip, "mount option '" + opt + "' is not supported (only ro and rw)");
                }
            }
        }
        return m;
    }

    private ObjectNode longVolume(JsonNode v, String ip) {
        if (t.refused(ip, "type")) {
            return null; // the schema has said why
        }
        String type = v.path("type").asText("volume");
        if (!type.equals("volume") && !type.equals("bind")) {
            problem(LocatedDocument.child(ip, "type"), "type " + type + " is not supported (only volume and bind)");
            return null;
        }
        Keys.refuseOthers(t, v, ip, Set.of("type", "source", "target", "read_only"),
                (k, p) -> problem(p, "is not supported (only type, source, target and read_only)"));
        if (!v.path("source").isTextual()) {
            problem(ip, "needs a source: a named volume or a host path (anonymous volumes lose their data on every update)");
            return null;
        }
        ObjectNode m = source(v.get("source").asText(), type.equals("bind"), LocatedDocument.child(ip, "source"));
        if (m != null) {
            m.set("target", v.path("target"));
            if (v.has("read_only")) {
                m.set("readOnly", v.get("read_only"));
            }
        }
        return m;
    }

    private ObjectNode source(String source, boolean bind, String ptr) {
        ObjectNode m = NODES.objectNode();
        if (!bind) {
            m.put("name", source);
        } else if (source.startsWith("~")) {
            problem(ptr, "a path under ~ is not supported: whose home it means depends on who runs Berth; "
                    + "give it relative to the compose file or absolute");
            return null;
        } else {
            m.put("source", source);
        }
        return m;
    }

    private void networks(BerthDoc d, JsonNode v, String kp) {
        ArrayNode out = NODES.arrayNode();
        d.put("networks", out, kp);
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String np = LocatedDocument.child(kp, e.getKey());
            if (t.refused(np)) {
                continue;
            }
            JsonNode opts = e.getValue();
            String name = e.getKey().equals("default") ? DesiredState.DEFAULT_NETWORK : e.getKey();
            JsonNode aliases = opts == null ? null : opts.get("aliases");
            if (opts != null && opts.isObject()) {
                Keys.refuseOthers(t, opts, np, Set.of("aliases"), (k, p) -> problem(p,
                        "is not supported (Berth gives a service's containers no per-network settings but aliases)"));
            }
            if (aliases != null && aliases.isArray() && !aliases.isEmpty()) {
                ObjectNode n = NODES.objectNode();
                n.put("name", name);
                n.set("aliases", aliases);
                d.add(out, "/spec/networks", n, np);
                d.note("/spec/networks/" + (out.size() - 1) + "/aliases", LocatedDocument.child(np, "aliases"));
            } else {
                d.add(out, "/spec/networks", NODES.textNode(name), np);
            }
        }
    }

    private void healthcheck(BerthDoc d, JsonNode h, String kp) {
        if (h.path("disable").asBoolean(false)) {
            return;
        }
        ObjectNode out = NODES.objectNode();
        boolean[] none = {false};
        Keys.each(t, h, kp, (k, p, value) -> {
            switch (k) {
                case "test" -> {
                    List<String> command = probeCommand(value, p);
                    if (command == null) {
                        none[0] = true; // NONE: no probe, as Compose
                        return;
                    }
                    ArrayNode c = NODES.arrayNode();
                    command.forEach(c::add);
                    ObjectNode exec = NODES.objectNode();
                    exec.set("command", c);
                    out.set("exec", exec);
                }
                case "interval", "timeout", "retries" -> out.set(k, value);
                case "start_period" -> out.set("startPeriod", value);
                case "start_interval" -> out.set("startInterval", value);
                case "disable" -> { } // false: the test above applies
                default -> problem(p, "is not a healthcheck key Berth knows");
            }
        });
        if (none[0]) {
            return;
        }
        if (!out.has("exec")) {
            if (!t.refused(kp, "test")) {
                problem(kp, "needs a test (Berth does not read the image's HEALTHCHECK)");
            }
            return;
        }
        d.put("healthcheck", out, kp);
        for (String k : List.of("interval", "timeout", "retries")) {
            d.note("/spec/healthcheck/" + k, LocatedDocument.child(kp, k));
        }
        d.note("/spec/healthcheck/startPeriod", LocatedDocument.child(kp, "start_period"));
        d.note("/spec/healthcheck/startInterval", LocatedDocument.child(kp, "start_interval"));
        d.note("/spec/healthcheck/exec", LocatedDocument.child(kp, "test"));
        d.note("/spec/healthcheck/exec/command", LocatedDocument.child(kp, "test"));
    }

    /** Compose's test: ["CMD", args…], ["CMD-SHELL", line], a line, or ["NONE"] (null here). */
    private List<String> probeCommand(JsonNode test, String p) {
        if (test.isTextual()) {
            return List.of("/bin/sh", "-c", test.asText());
        }
        List<String> words = iterable(test).stream().map(JsonNode::asText).toList();
        if (words.isEmpty()) {
            problem(p, "must not be empty");
            return List.of();
        }
        return switch (words.get(0)) {
            case "NONE" -> null;
            case "CMD" -> words.subList(1, words.size());
            case "CMD-SHELL" -> List.of("/bin/sh", "-c", String.join(" ", words.subList(1, words.size())));
            default -> {
                problem(p, "must start with CMD, CMD-SHELL or NONE");
                yield List.of();
            }
        };
    }

    private void dependsOn(BerthDoc d, JsonNode v, String kp) {
        ArrayNode out = NODES.arrayNode();
        d.put("dependsOn", out, kp);
        JsonNode services = t.root.path("services");
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String dp = LocatedDocument.child(kp, e.getKey());
            if (t.refused(dp)) {
                continue;
            }
            JsonNode o = e.getValue();
            String condition = t.refused(dp, "condition") ? "service_started" : o.path("condition").asText("service_started");
            String word = switch (condition) {
                case "service_started" -> "started";
                case "service_healthy" -> "healthy";
                case "service_completed_successfully" -> "completed";
                default -> null;
            };
            if (word == null) {
                problem(LocatedDocument.child(dp, "condition"), "unknown condition " + condition
                        + " (service_started, service_healthy, service_completed_successfully)");
            } else if (word.equals("completed") && !oneShot(services.path(e.getKey()))) {
                problem(LocatedDocument.child(dp, "condition"), "service_completed_successfully needs '" + e.getKey()
                        + "' to be a one-shot job (restart: \"no\" or on-failure); it runs for ever");
            } else if (word.equals("healthy") && oneShot(services.path(e.getKey()))) {
                problem(LocatedDocument.child(dp, "condition"), "service_healthy needs '" + e.getKey() + "' to keep "
                        + "running: Berth never probes a one-shot job; use service_completed_successfully");
            }
            if (o.path("restart").asBoolean(false) && !t.refused(dp, "restart")) {
                problem(LocatedDocument.child(dp, "restart"), "is not supported: Berth does not restart dependents");
            }
            if (!o.path("required").asBoolean(true) && !t.refused(dp, "required")) {
                problem(LocatedDocument.child(dp, "required"), "required: false is not supported: every dependency must be declared");
            }
            ObjectNode dep = NODES.objectNode();
            dep.put("service", e.getKey());
            dep.put("condition", word == null ? "started" : word);
            d.add(out, "/spec/dependsOn", dep, dp);
        }
    }

    /** A service written as a one-shot job: restart "no" or on-failure (without restart, Berth keeps it running). */
    private static boolean oneShot(JsonNode service) {
        String restart = service.path("restart").asText("");
        return restart.equals("no") || restart.equals("false") || restart.startsWith("on-failure");
    }

    private void restart(BerthDoc d, JsonNode v, String kp) {
        String r = v.isBoolean() && !v.asBoolean() ? "no" : v.asText();
        switch (r) {
            case "no", "always", "on-failure" -> d.put("restart", NODES.textNode(r), kp);
            // Berth repairs every container it runs; "stopped by hand" has no meaning for a daemon that owns them.
            case "unless-stopped" -> d.put("restart", NODES.textNode("always"), kp);
            default -> problem(kp, r.startsWith("on-failure:") ? "a retry limit is not supported: Berth restarts "
                    + "a failed job with backoff until the next change; write on-failure"
                    : "'" + r + "' is not a restart policy (no, always, on-failure, unless-stopped)");
        }
    }

    private void pullPolicy(BerthDoc d, JsonNode v, String kp) {
        switch (v.asText()) {
            case "always", "never", "missing" -> d.put("pullPolicy", v, kp);
            case "if_not_present" -> d.put("pullPolicy", NODES.textNode("missing"), kp);
            default -> problem(kp, "'" + v.asText() + "' is not supported (always, never, missing, if_not_present)");
        }
    }

    static ObjectNode stringMap(JsonNode v) {
        ObjectNode out = NODES.objectNode();
        v.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        return out;
    }

    /** Compose memory ({@code 512m}, {@code 1g}, {@code 1gb}: binary units, as Docker reads them) in bytes. */
    static Long composeMemory(String s) {
        Matcher m = COMPOSE_MEMORY.matcher(s.trim());
        if (!m.matches()) {
            return null;
        }
        int shift = switch (m.group(2).toLowerCase()) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        return new java.math.BigDecimal(m.group(1)).multiply(java.math.BigDecimal.valueOf(1L << shift)).longValue();
    }

    /** Whole seconds, rounded up, of a Compose duration; null after a problem. */
    static Long seconds(JsonNode v, String ptr, Problems problems) {
        try {
            Duration d = Quantities.duration(v.asText());
            return (d.toMillis() + 999) / 1000;
        } catch (IllegalArgumentException e) {
            problems.add(ptr, e.getMessage());
            return null;
        }
    }

    static List<JsonNode> iterable(JsonNode v) {
        List<JsonNode> out = new java.util.ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    void problem(String ptr, String message) {
        problems.add(t.problem(file, ptr, message));
    }

    /** Where the translators put their problems: a Compose pointer and the reason. */
    @FunctionalInterface
    interface Problems {
        void add(String ptr, String message);
    }
}
