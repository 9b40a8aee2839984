package dev.berth.manifest.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.desired.DesiredState;
import dev.berth.manifest.LocatedDocument;
import dev.berth.manifest.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The top level of a merged Compose tree: {@code name}, {@code services}, {@code volumes},
 * {@code networks}, {@code secrets} and {@code configs} ({@link FileMounts}); {@code version} is obsolete and ignored, as Compose ignores it, and
 * {@code x-*} keys are ignored.
 *
 * <p>Names: a Compose service, volume or network keeps its name in Berth, so services still
 * reach each other by the names the file uses. Berth has one project per daemon
 * ({@code berth.project}) and one namespace for every file in the directory: the Compose
 * project name (top-level {@code name}, else the directory's name) is checked as Compose
 * checks it but not used, and two Compose projects that both declare {@code db} clash like
 * two manifests would.
 */
final class ProjectTranslator {
    private final ComposeTree t;
    private final String file;
    private final Path dir;
    private final Function<String, String> env;
    private final List<Problem> problems;

    ProjectTranslator(ComposeTree t, String file, Path dir, Function<String, String> env, List<Problem> problems) {
        this.t = t;
        this.file = file;
        this.dir = dir;
        this.env = env;
        this.problems = problems;
    }

    List<LocatedDocument> documents() {
        List<LocatedDocument> docs = new ArrayList<>();
        for (Iterator<String> it = t.root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.startsWith("x-") && !ComposeProject.topKeys().contains(k) && !t.refused("/" + k)) {
                problem("/" + k, switch (k) {
                    case "include" -> "is not supported: put the included services in this file or a directory of their own";
                    default -> "is not a top-level Compose key Berth knows (services, volumes, networks, secrets, configs, name)";
                });
            }
        }
        JsonNode name = t.root.get("name");
        if (name != null && !t.refused("/name") && !ComposeProject.isProjectName(name.asText())) {
            problem("/name", "'" + name.asText() + "' is not a Compose project name (lower-case letters, digits, '_' and '-')");
        }
        JsonNode services = t.root.path("services");
        if (services.isEmpty() && !t.refused("/services")) {
            problem(t.root.has("services") ? "/services" : "", "a Compose file needs services");
        }
        FileMounts mounts = new FileMounts(t, this::problem);
        mounts.declarations("secrets");
        mounts.declarations("configs");
        ServiceTranslator st = new ServiceTranslator(t, file, dir, env, problems);
        each(services, "/services", (n, p, v) -> {
            if (v instanceof ObjectNode o) {
                docs.add(st.translate(n, o, p));
            } else {
                problem(p, "a service must be a mapping with at least an image");
            }
        });
        each(t.root.path("volumes"), "/volumes", (n, p, v) -> docs.add(volume(n, p, v)));
        each(t.root.path("networks"), "/networks", (n, p, v) -> {
            if (n.equals(DesiredState.DEFAULT_NETWORK)) {
                problem(p, "the default network is Berth's own and cannot be configured; declare a network of another name");
            } else {
                docs.add(network(n, p, v));
            }
        });
        return docs;
    }

    private interface Entry {
        void accept(String name, String ptr, JsonNode value);
    }

    /** Each named entry whose name Berth can take; a problem for each other name. */
    private void each(JsonNode map, String ptr, Entry e) {
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> x = it.next();
            String p = LocatedDocument.child(ptr, x.getKey());
            if (t.refused(p)) {
                continue; // the schema has said why
            }
            if (!ServiceTranslator.BERTH_NAME.matcher(x.getKey()).matches() || x.getKey().length() > 63) {
                problem(p, "'" + x.getKey() + "' cannot be a Berth name: use lower-case letters, digits and '-', "
                        + "starting and ending with a letter or digit, at most 63 (a DNS label; Berth names containers, "
                        + "volumes and DNS entries after it)");
            } else {
                e.accept(x.getKey(), p, x.getValue());
            }
        }
    }

    private LocatedDocument volume(String name, String p, JsonNode v) {
        return object("Volume", name, p, v, Map.of("driver", "driver", "driver_opts", "driverOpts"),
                "is not supported: Berth creates and owns the volumes it mounts (named <project>_<name> on the engine) "
                        + "and never adopts one it did not create");
    }

    private LocatedDocument network(String name, String p, JsonNode v) {
        return object("Network", name, p, v, Map.of("driver", "driver", "internal", "internal"),
                "is not supported: Berth creates and owns the networks it joins and never adopts one it did not create");
    }

    /**
     * A top-level volume or network: {@code fields} maps its Compose keys to Berth's; labels go
     * to metadata; {@code external} and {@code name} (adopting an object) are refused with
     * {@code notOwned}; any other key is a problem.
     */
    private LocatedDocument object(String kind, String name, String p, JsonNode v, Map<String, String> fields,
            String notOwned) {
        BerthDoc d = new BerthDoc(t, kind, name, p);
        Keys.each(t, v, p, (k, kp, value) -> {
            if (fields.containsKey(k)) {
                d.put(fields.get(k), k.equals("driver_opts") ? ServiceTranslator.stringMap(value) : value, kp);
            } else if (k.equals("labels")) {
                d.put(d.metadata(), "/metadata", "labels", labels(value), kp);
            } else if (k.equals("external") || k.equals("name")) {
                problem(kp, notOwned);
            } else {
                problem(kp, "is not a " + kind.toLowerCase() + " key Berth knows ("
                        + String.join(", ", new java.util.TreeSet<>(fields.keySet())) + ", labels)");
            }
        });
        return d.done(file);
    }

    /** Labels as a map of text, from a map or a list of KEY=VALUE ({@code KEY} alone: empty). */
    private static ObjectNode labels(JsonNode v) {
        return ServiceTranslator.stringMap(v.isArray() ? ComposeNormal.keyValues(v) : v);
    }

    private void problem(String ptr, String message) {
        problems.add(t.problem(file, ptr, message));
    }
}
