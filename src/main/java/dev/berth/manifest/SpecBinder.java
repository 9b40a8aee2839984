package dev.berth.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.desired.Dependency;
import dev.berth.desired.BackoffPolicy;
import dev.berth.desired.ConfigMount;
import dev.berth.desired.HealthCheck;
import dev.berth.desired.IntOrPercent;
import dev.berth.desired.UpdatePolicy;
import dev.berth.desired.NetworkSpec;
import dev.berth.desired.Placement;
import dev.berth.desired.PortSpec;
import dev.berth.desired.PullPolicy;
import dev.berth.desired.Resources;
import dev.berth.desired.RestartPolicy;
import dev.berth.desired.SecretMount;
import dev.berth.desired.ServiceSpec;
import dev.berth.desired.VolumeMount;
import dev.berth.desired.VolumeSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one schema-valid document into a spec record, checking what a schema cannot: files that
 * must exist, quantities, reserved labels, conflicts inside one service. Every problem is
 * collected with its line so a user fixes them all in one go.
 */
final class SpecBinder {
    static final String RESERVED_LABEL_PREFIX = "dev.berth.";

    private final LocatedDocument doc;
    private final Path manifestFile;
    private final Path secretsDir;
    private final PathConfinement files;
    private final HostAccessPolicy hostAccess;
    private final List<Problem> problems = new ArrayList<>();

    /**
     * @param files      the manifests directory that env files, configs and relative bind sources stay in
     * @param hostAccess which host paths bind mounts may reach
     */
    SpecBinder(LocatedDocument doc, Path manifestFile, Path secretsDir, PathConfinement files, HostAccessPolicy hostAccess) {
        this.doc = doc;
        this.manifestFile = manifestFile;
        this.secretsDir = secretsDir;
        this.files = files;
        this.hostAccess = hostAccess;
    }

    List<Problem> problems() {
        return problems;
    }

    Object bind() {
        JsonNode root = doc.root();
        String name = root.path("metadata").path("name").asText();
        Map<String, String> labels = stringMap(root.path("metadata").path("labels"), "/metadata/labels");
        JsonNode spec = root.path("spec");
        return switch (root.path("kind").asText()) {
            case "Service" -> service(name, labels, spec);
            case "Network" -> new NetworkSpec(name, doc.file(), spec.path("driver").asText("bridge"),
                    spec.path("internal").asBoolean(false), labels);
            case "Volume" -> new VolumeSpec(name, doc.file(), spec.path("driver").asText("local"),
                    stringMap(spec.path("driverOpts"), "/spec/driverOpts"), labels);
            default -> throw new IllegalStateException("schema admits only known kinds");
        };
    }

    private ServiceSpec service(String name, Map<String, String> metaLabels, JsonNode s) {
        Map<String, String> labels = new LinkedHashMap<>(metaLabels);
        labels.putAll(stringMap(s.path("labels"), "/spec/labels"));
        uniqueTargets(s);
        return new ServiceSpec(
                name,
                doc.file(),
                labels,
                s.path("image").asText(),
                PullPolicy.parse(s.path("pullPolicy").asText("missing")),
                s.path("replicas").asInt(1),
                strings(s.path("command")),
                strings(s.path("entrypoint")),
                s.path("workingDir").asText(null),
                env(s),
                secrets(s.path("secrets")),
                configs(s.path("configs")),
                ports(s.path("ports")),
                volumes(s.path("volumes")),
                networkNames(s.path("networks")),
                networkAliases(s.path("networks")),
                resources(s.path("resources")),
                s.path("user").asText(null),
                duration(s.path("stopGracePeriod"), "/spec/stopGracePeriod", Duration.ofSeconds(10)),
                s.path("stopSignal").asText(null),
                restart(s.path("restart")),
                s.path("init").asBoolean(false),
                dependencies(s.path("dependsOn")),
                healthcheck(s.path("healthcheck")),
                update(s.path("update")),
                s.path("revisionHistoryLimit").asInt(10),
                restartBackoff(s.path("restartBackoff")),
                placement(s.path("placement")));
    }

    /** The schema has checked the words; spread preferences are kept as the label they spread over. */
    private static Placement placement(JsonNode p) {
        List<String> spreads = new ArrayList<>();
        p.path("preferences").forEach(pref -> spreads.add(pref.path("spread").asText()));
        return new Placement(strings(p.path("constraints")), spreads);
    }

    private HealthCheck healthcheck(JsonNode h) {
        if (h.isMissingNode()) {
            return null;
        }
        int kinds = (h.has("http") ? 1 : 0) + (h.has("tcp") ? 1 : 0) + (h.has("exec") ? 1 : 0);
        if (kinds != 1) {
            problem("/spec/healthcheck", "give exactly one of http, tcp or exec");
            return null;
        }
        HealthCheck.Kind kind = h.has("http") ? HealthCheck.Kind.HTTP : h.has("tcp") ? HealthCheck.Kind.TCP : HealthCheck.Kind.EXEC;
        JsonNode k = h.has("http") ? h.get("http") : h.has("tcp") ? h.get("tcp") : h.get("exec");
        Duration timeout = duration(h.path("timeout"), "/spec/healthcheck/timeout", Duration.ofSeconds(1));
        Duration interval = duration(h.path("interval"), "/spec/healthcheck/interval", Duration.ofSeconds(2));
        if (interval.isZero() || timeout.isZero()) {
            problem("/spec/healthcheck", "interval and timeout must be more than 0");
        }
        Duration startInterval = duration(h.path("startInterval"), "/spec/healthcheck/startInterval",
                HealthCheck.defaultStartInterval(kind, interval));
        if (h.has("startInterval") && startInterval.isZero()) {
            problem("/spec/healthcheck/startInterval", "must be more than 0");
        }
        return new HealthCheck(kind, k.path("path").asText("/"), k.path("port").asInt(0), k.path("status").asInt(0),
                strings(k.path("command")), interval, timeout, h.path("retries").asInt(3),
                duration(h.path("startPeriod"), "/spec/healthcheck/startPeriod", Duration.ZERO), startInterval);
    }

    private UpdatePolicy update(JsonNode u) {
        UpdatePolicy d = UpdatePolicy.DEFAULT;
        IntOrPercent surge = intOrPercent(u.path("maxSurge"), "/spec/update/maxSurge", d.maxSurge());
        IntOrPercent unavailable = intOrPercent(u.path("maxUnavailable"), "/spec/update/maxUnavailable", d.maxUnavailable());
        return new UpdatePolicy(
                "stop-first".equals(u.path("order").asText()) ? UpdatePolicy.Order.STOP_FIRST : UpdatePolicy.Order.START_FIRST,
                surge, unavailable,
                Duration.ofSeconds(u.path("minReadySeconds").asLong(d.minReady().toSeconds())),
                Duration.ofSeconds(u.path("progressDeadlineSeconds").asLong(d.progressDeadline().toSeconds())),
                "pause".equals(u.path("failureAction").asText()) ? UpdatePolicy.FailureAction.PAUSE : UpdatePolicy.FailureAction.ROLLBACK,
                Duration.ofSeconds(u.path("monitorSeconds").asLong(d.monitor().toSeconds())),
                Duration.ofSeconds(u.path("drainSeconds").asLong(d.drain().toSeconds())));
    }

    private IntOrPercent intOrPercent(JsonNode n, String pointer, IntOrPercent dflt) {
        if (n.isMissingNode()) {
            return dflt;
        }
        IntOrPercent v = IntOrPercent.parse(n.asText());
        if (v.percent() && v.value() > 100) {
            problem(pointer, "a percentage must be at most 100%");
        }
        return v;
    }

    private BackoffPolicy restartBackoff(JsonNode b) {
        BackoffPolicy d = BackoffPolicy.DEFAULT;
        if (b.isMissingNode()) {
            return null; // the daemon's berth.backoff.* settings apply
        }
        return new BackoffPolicy(duration(b.path("initial"), "/spec/restartBackoff/initial", d.initial()),
                duration(b.path("max"), "/spec/restartBackoff/max", d.max()),
                duration(b.path("reset"), "/spec/restartBackoff/reset", d.reset()));
    }

    /** Two mounts at one path in the container: only one could win, silently. */
    private void uniqueTargets(JsonNode s) {
        Map<String, String> seen = new java.util.HashMap<>();
        for (String list : List.of("volumes", "configs", "secrets")) {
            JsonNode items = s.path(list);
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                String target = item.has("target") ? item.get("target").asText()
                        : list.equals("secrets") ? "/run/secrets/" + item.path("name").asText() : null;
                String here = "/spec/" + list + "/" + i;
                String first = target == null ? null : seen.putIfAbsent(target, here);
                if (first != null && !first.startsWith("/spec/" + list + "/")) {
                    problem(here + "/target", "target " + target + " is also used by " + LocatedDocument.fieldOf(first));
                } else if (first != null && list.equals("configs")) {
                    problem(here + "/target", "target " + target + " is used twice");
                }
            }
        }
    }

    private void problem(String pointer, String reason) {
        problems.add(doc.problem(pointer, reason));
    }

    private Map<String, String> stringMap(JsonNode n, String pointer) {
        Map<String, String> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> {
            if (pointer.endsWith("labels") && e.getKey().startsWith(RESERVED_LABEL_PREFIX)) {
                problem(LocatedDocument.child(pointer, e.getKey()), "labels starting with '"
                        + RESERVED_LABEL_PREFIX + "' are reserved for Berth");
            }
            m.put(e.getKey(), e.getValue().asText());
        });
        return m;
    }

    /** A bare name means condition started; the schema has checked the shapes and words. */
    private static List<Dependency> dependencies(JsonNode n) {
        List<Dependency> out = new ArrayList<>();
        n.forEach(e -> out.add(e.isTextual() ? Dependency.started(e.asText())
                : new Dependency(e.path("service").asText(), Dependency.Condition.parse(e.path("condition").asText("started")))));
        return out;
    }

    /** A network is a name, or {name, aliases}; the schema has checked which. */
    private static List<String> networkNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.isTextual() ? e.asText() : e.path("name").asText()));
        return out;
    }

    private static Map<String, List<String>> networkAliases(JsonNode n) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        n.forEach(e -> {
            if (e.path("aliases").size() > 0) {
                out.put(e.path("name").asText(), strings(e.path("aliases")));
            }
        });
        return out;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }

    private Map<String, String> env(JsonNode s) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode files = s.path("envFiles");
        for (int i = 0; i < files.size(); i++) {
            String ptr = "/spec/envFiles/" + i;
            Path p = confined(ptr, files.get(i).asText());
            if (p == null) {
                continue;
            }
            try {
                env.putAll(EnvFile.parse(FileLooks.readString(p)));
            } catch (IOException e) {
                problem(ptr, "cannot read env file " + p + ": " + IoWords.of(e));
            } catch (IllegalArgumentException e) {
                problem(ptr, "env file " + p + ": " + e.getMessage());
            }
        }
        s.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    private List<SecretMount> secrets(JsonNode n) {
        List<SecretMount> out = new ArrayList<>();
        Set<String> targets = new HashSet<>();
        for (int i = 0; i < n.size(); i++) {
            String name = n.get(i).path("name").asText();
            String target = n.get(i).path("target").asText("/run/secrets/" + name);
            String refused = secretRefusal(name);
            if (refused != null) {
                problem("/spec/secrets/" + i + "/name", refused);
            } else if (!FileLooks.isRegularFile(secretsDir.resolve(name))) {
                problem("/spec/secrets/" + i + "/name", "secret '" + name + "' not found in the secrets directory "
                        + secretsDir);
            }
            if (!targets.add(target)) {
                problem("/spec/secrets/" + i + "/target", "target " + target + " is used twice");
            }
            int mode = secretMode(n.get(i).path("mode"), "/spec/secrets/" + i + "/mode");
            out.add(new SecretMount(name, target, n.get(i).path("uid").asInt(0), n.get(i).path("gid").asInt(0), mode));
        }
        return out;
    }

    /** An integer (YAML reads 0400 as octal) or a string of octal digits, 0000 to 0777. */
    private int secretMode(JsonNode m, String pointer) {
        if (m.isMissingNode() || m.isNull()) {
            return SecretMount.DEFAULT_MODE;
        }
        int mode = m.isTextual() && m.asText().matches("0?[0-7]{3}") ? Integer.parseInt(m.asText(), 8)
                : m.isIntegralNumber() ? m.asInt() : -1;
        if (mode < 0 || mode > 0777) {
            problem(pointer, "not a file mode: " + (m.isTextual() ? "'" + m.asText() + "'" : "decimal " + m.asText())
                    + "; write it in octal from 0000 to 0777, e.g. 0400 or \"0440\"");
            return SecretMount.DEFAULT_MODE;
        }
        return mode;
    }

    private List<ConfigMount> configs(JsonNode n) {
        List<ConfigMount> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            Path p = confined("/spec/configs/" + i + "/source", n.get(i).path("source").asText());
            if (p == null) {
                continue;
            }
            if (!FileLooks.isRegularFile(p)) {
                problem("/spec/configs/" + i + "/source", "config file " + p + " does not exist");
            }
            out.add(new ConfigMount(p, n.get(i).path("target").asText()));
        }
        return out;
    }

    private List<PortSpec> ports(JsonNode n) {
        List<PortSpec> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode p = n.get(i);
            PortSpec port = new PortSpec(p.path("port").asInt(), p.path("targetPort").asInt(),
                    p.path("protocol").asText("http"),
                    "host".equals(p.path("mode").asText()) ? PortSpec.Mode.HOST : PortSpec.Mode.PROXY);
            if (port.proxied() && port.transport().equals("udp")) {
                problem("/spec/ports/" + i + "/protocol", "udp ports can only be published with mode: host");
            }
            if (!seen.add(port.port() + "/" + port.transport())) {
                problem("/spec/ports/" + i + "/port", "host port " + port.port() + " is published twice");
            }
            out.add(port);
        }
        return out;
    }

    private List<VolumeMount> volumes(JsonNode n) {
        List<VolumeMount> out = new ArrayList<>();
        Set<String> targets = new HashSet<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode v = n.get(i);
            String ptr = "/spec/volumes/" + i;
            String target = v.path("target").asText();
            boolean ro = v.path("readOnly").asBoolean(false);
            if (!targets.add(target)) {
                problem(ptr + "/target", "target " + target + " is mounted twice");
            }
            if (v.has("name") == v.has("source")) {
                problem(ptr, "give either 'name' (a named volume) or 'source' (a host path), not "
                        + (v.has("name") ? "both" : "neither"));
                continue;
            }
            if (v.has("name")) {
                out.add(new VolumeMount(v.path("name").asText(), null, target, ro));
                continue;
            }
            String source = v.path("source").asText();
            boolean absolute = source.startsWith("/");
            Path host = absolute ? HostAccessPolicy.real(Path.of(source)) : confined(ptr + "/source", source);
            if (host == null) {
                continue;
            }
            String refused = null;
            if (!FileLooks.exists(host)) {
                problem(ptr + "/source", "bind mount source " + host + " does not exist");
            } else if (host.getNameCount() == 0) {
                problem(ptr + "/source", "mounting the host's root directory is not allowed");
            } else if ((refused = hostAccess.refusal(doc.root().path("metadata").path("name").asText(), host,
                    absolute ? null : files.root())) != null) {
                problem(ptr + "/source", refused);
            }
            out.add(new VolumeMount(null, host, target, ro));
        }
        return out;
    }

    private Resources resources(JsonNode r) {
        long memory = 0;
        long cpus = 0;
        if (r.has("memory")) {
            try {
                memory = Quantities.memory(r.get("memory").asText());
                if (memory < 6 * 1024 * 1024) {
                    problem("/spec/resources/memory", "must be at least 6Mi (Docker's minimum)");
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                problem("/spec/resources/memory", e.getMessage());
            }
        }
        if (r.has("cpus")) {
            try {
                cpus = Quantities.nanoCpus(r.get("cpus").asText());
            } catch (IllegalArgumentException e) {
                problem("/spec/resources/cpus", e.getMessage());
            }
        }
        return memory == 0 && cpus == 0 ? Resources.NONE : new Resources(memory, cpus);
    }

    private Duration duration(JsonNode n, String pointer, Duration dflt) {
        if (n.isMissingNode()) {
            return dflt;
        }
        try {
            return Quantities.duration(n.asText());
        } catch (IllegalArgumentException e) {
            problem(pointer, e.getMessage());
            return dflt;
        }
    }

    private static RestartPolicy restart(JsonNode n) {
        if (n.isMissingNode()) {
            return RestartPolicy.ALWAYS;
        }
        // YAML 1.1 reads a bare `no` as false; Compose users write it that way.
        return n.isBoolean() ? RestartPolicy.NO : RestartPolicy.parse(n.asText());
    }

    /**
     * {@code given} resolved inside the manifests directory (real path when it exists), or null
     * after a problem when it leaves the directory, is absolute or loops.
     */
    private Path confined(String pointer, String given) {
        try {
            return files.resolve(manifestFile.getParent(), given);
        } catch (PathConfinement.Refused e) {
            problem(pointer, e.getMessage());
            return null;
        }
    }

    /** A secret is a name in the secrets directory, never a path, and no link out of it is followed. */
    private String secretRefusal(String name) {
        try {
            new PathConfinement(secretsDir).resolveName(name);
            return null;
        } catch (PathConfinement.Refused e) {
            return "secret " + e.getMessage() + "; secrets come only from the secrets directory " + secretsDir;
        }
    }
}
