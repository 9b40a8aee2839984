package dev.berth.manifest.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.manifest.LocatedDocument;
import java.util.Set;

/**
 * A service's {@code secrets} and {@code configs}, resolved against the file's top-level
 * declarations, as Compose without Swarm runs them:
 *
 * <ul>
 *   <li>a secret declared with {@code file:} is that file of the project, bind-mounted read-only
 *       at {@code /run/secrets/<name>}: Berth's {@code configs} (a file inside the manifests
 *       directory, confined there, its content part of the revision);
 *   <li>a secret declared {@code external: true} (named {@code name:} or its key) is a file of
 *       Berth's secrets directory: Berth's {@code secrets}, with {@code uid}, {@code gid} and
 *       {@code mode} as Swarm reads them;
 *   <li>a config declared with {@code file:} is Berth's {@code configs}, at {@code /<name>} unless
 *       a target is given.
 * </ul>
 *
 * Declarations of other kinds ({@code environment:}, {@code content:}, external configs) are
 * refused by {@link #declarations}, each with its reason.
 */
final class FileMounts {
    private static final Set<String> ITEM_KEYS = Set.of("source", "target", "uid", "gid", "mode");

    private final ComposeTree t;
    private final ServiceTranslator.Problems problems;

    FileMounts(ComposeTree t, ServiceTranslator.Problems problems) {
        this.t = t;
        this.problems = problems;
    }

    /** Checks the top-level {@code secrets} or {@code configs} ({@code section}); problems only. */
    void declarations(String section) {
        JsonNode all = t.root.path(section);
        String sp = "/" + section;
        Keys.each(t, all, sp, (name, p, decl) -> {
            if (!decl.isObject()) { // empty: any other shape the schema has refused
                problems.add(p, "must be a mapping with file" + (section.equals("secrets") ? " or external" : ""));
                return;
            }
            Keys.each(t, decl, p, (k, kp, v) -> {
                switch (k) {
                    case "file" -> { }
                    case "external", "name" -> {
                        if (section.equals("configs")) {
                            problems.add(kp, "is not supported: Berth has no store of configs; give the file");
                        }
                    }
                    case "environment" -> problems.add(kp, "is not supported: Berth never puts a secret in an "
                            + "environment variable or takes one from its own; give the file, or a file of Berth's "
                            + "secrets directory with external: true");
                    case "content" -> problems.add(kp, "is not supported yet: write the content into a file of the "
                            + "project and give file");
                    case "labels", "driver", "driver_opts", "template_driver" -> problems.add(kp,
                            "is not supported: these are Swarm's; Berth reads the file or its secrets directory");
                    default -> problems.add(kp, "is not a " + section.substring(0, section.length() - 1)
                            + " key Berth knows (file" + (section.equals("secrets") ? ", external, name" : "") + ")");
                }
            });
            boolean file = decl.has("file");
            boolean external = decl.path("external").asBoolean(false);
            if (decl.has("environment") || decl.has("content") || external && section.equals("configs")) {
                return; // said above, with the reason
            }
            if (file == external && section.equals("secrets")) {
                problems.add(p, "give exactly one of file (a file of the project) and external: true (a file of "
                        + "Berth's secrets directory)");
            } else if (!file && section.equals("configs")) {
                problems.add(p, "needs file");
            } else if (decl.has("name") && !external) {
                problems.add(LocatedDocument.child(p, "name"), "is only for external: true");
            }
        });
    }

    /** A service's {@code secrets} list, into the doc's {@code configs} and {@code secrets}. */
    void secrets(BerthDoc d, JsonNode list, String kp) {
        each(list, kp, "secrets", (source, target, item, ip) -> {
            JsonNode decl = t.root.path("secrets").path(source);
            String path = target == null ? "/run/secrets/" + source
                    : target.startsWith("/") ? target : "/run/secrets/" + target;
            if (decl.has("file")) {
                for (String k : Set.of("uid", "gid", "mode")) {
                    if (item.has(k) && !t.refused(ip, k)) {
                        problems.add(LocatedDocument.child(ip, k), "is not supported for a secret from a file: it is "
                                + "bind-mounted read-only as it is, as Compose does without Swarm");
                    }
                }
                config(d, decl.get("file"), path, ip, "/secrets/" + source + "/file");
                return;
            }
            ObjectNode s = BerthDoc.NODES.objectNode();
            s.put("name", decl.path("name").asText(source));
            s.put("target", path);
            for (String k : new String[] {"uid", "gid"}) {
                JsonNode v = item.path(k);
                if (v.isMissingNode() || t.refused(ip, k)) {
                    continue;
                }
                if (!v.asText().matches("[0-9]{1,9}")) {
                    problems.add(LocatedDocument.child(ip, k), "'" + v.asText() + "' is not a numeric " + k);
                } else {
                    s.put(k, Integer.parseInt(v.asText()));
                }
            }
            if (item.has("mode")) {
                s.set("mode", item.get("mode"));
            }
            ArrayNode out = array(d, "secrets", kp);
            d.add(out, "/spec/secrets", s, ip);
            String at = "/spec/secrets/" + (out.size() - 1);
            d.note(at + "/name", "/secrets/" + source);
            d.note(at + "/target", item.has("target") ? LocatedDocument.child(ip, "target") : ip);
        });
    }

    /** A service's {@code configs} list, into the doc's {@code configs}. */
    void configs(BerthDoc d, JsonNode list, String kp) {
        each(list, kp, "configs", (source, target, item, ip) -> {
            for (String k : Set.of("uid", "gid", "mode")) {
                if (item.has(k) && !t.refused(ip, k)) {
                    problems.add(LocatedDocument.child(ip, k), "is not supported: a config is bind-mounted read-only "
                            + "as it is, as Compose does without Swarm");
                }
            }
            config(d, t.root.path("configs").path(source).get("file"), target == null ? "/" + source : target, ip,
                    "/configs/" + source + "/file");
        });
    }

    private interface Item {
        void accept(String source, String target, JsonNode item, String ptr);
    }

    /** Each item (a name, or {source, target, uid, gid, mode}) whose source is declared and usable. */
    private void each(JsonNode list, String kp, String section, Item then) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            String ip = kp + "/" + i;
            if (t.refused(ip)) {
                continue;
            }
            if (!item.isTextual() && !item.isObject()) {
                problems.add(ip, "must be a name, or a mapping with source");
                continue;
            }
            if (t.refused(ip, "source")) {
                continue; // the schema has said why
            }
            String source = item.isTextual() ? item.asText() : item.path("source").asText(null);
            if (source == null) {
                problems.add(ip, "needs source");
                continue;
            }
            if (item.isObject() && Keys.refuseOthers(t, item, ip, ITEM_KEYS,
                    (k, p) -> problems.add(p, "is not supported (only source, target, uid, gid and mode)"))) {
                continue;
            }
            JsonNode decl = t.root.path(section).path(source);
            if (!decl.isObject()) {
                problems.add(item.isObject() ? LocatedDocument.child(ip, "source") : ip, section.substring(0,
                        section.length() - 1) + " '" + source + "' is not declared under the top-level " + section);
                continue;
            }
            if (!decl.has("file") && !decl.path("external").asBoolean(false)) {
                continue; // refused where it is declared
            }
            String target = item.isObject() && item.hasNonNull("target") ? item.get("target").asText() : null;
            then.accept(source, target, item, ip);
        }
    }

    private void config(BerthDoc d, JsonNode file, String target, String ip, String filePtr) {
        if (file == null || !file.isTextual()) {
            return; // refused where it is declared
        }
        ObjectNode c = BerthDoc.NODES.objectNode();
        c.put("source", file.asText());
        c.put("target", target);
        ArrayNode out = array(d, "configs", ip);
        d.add(out, "/spec/configs", c, ip);
        String at = "/spec/configs/" + (out.size() - 1);
        d.note(at + "/source", filePtr);
        d.note(at + "/target", ip);
    }

    private static ArrayNode array(BerthDoc d, String key, String kp) {
        JsonNode existing = d.spec.get(key);
        if (existing instanceof ArrayNode a) {
            return a;
        }
        ArrayNode a = BerthDoc.NODES.arrayNode();
        d.put(key, a, kp);
        return a;
    }
}
