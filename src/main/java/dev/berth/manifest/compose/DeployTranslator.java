package dev.berth.manifest.compose;

import static dev.berth.manifest.compose.BerthDoc.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.manifest.LocatedDocument;
import java.util.Set;

/**
 * Compose {@code deploy}: {@code replicas}, {@code mode: replicated}, {@code resources.limits}
 * ({@code cpus}, {@code memory}), {@code placement} ({@code constraints}, {@code preferences}: the
 * same words as Berth's {@code placement}, for the Swarm backend) and {@code update_config}, which
 * becomes Berth's update policy:
 * <ul>
 * <li>{@code order} → {@code order} (Berth's default start-first stays when it is not given);
 * <li>{@code parallelism: n} → how many replicas change at once: {@code maxSurge: n} when
 *     start-first, {@code maxUnavailable: n} when stop-first; 0 (all at once) → 100%;
 * <li>{@code delay} → {@code minReadySeconds}: the wait before the next step, counted from a new
 *     replica's readiness rather than from the end of a batch;
 * <li>{@code monitor} → {@code monitorSeconds}; {@code failure_action} rollback or pause.
 * </ul>
 */
final class DeployTranslator {
    private final BerthDoc d;
    private final String kp;
    private final ServiceTranslator.Problems problems;

    DeployTranslator(BerthDoc d, String kp, ServiceTranslator.Problems problems) {
        this.d = d;
        this.kp = kp;
        this.problems = problems;
    }

    void deploy(JsonNode v) {
        Keys.each(d.from, v, kp, (k, p, value) -> {
            switch (k) {
                case "replicas" -> d.put("replicas", value, p);
                case "mode" -> {
                    if (!value.asText().equals("replicated")) {
                        problems.add(p, "only replicated is supported: one host runs the service's replicas");
                    }
                }
                case "resources" -> resources(value, p);
                case "update_config" -> update(value, p);
                case "placement" -> placement(value, p);
                case "rollback_config" -> problems.add(p, "is not supported yet: Berth rolls back the same rolling way "
                        + "it updated (update_config)");
                case "restart_policy" -> problems.add(p, "is not supported: use restart");
                default -> problems.add(p, "is not a deploy key Berth supports (replicas, mode, resources, placement, "
                        + "update_config)");
            }
        });
    }

    private void resources(JsonNode r, String rp) {
        ObjectNode out = NODES.objectNode();
        Keys.refuseOthers(d.from, r, rp, Set.of("limits"),
                (k, p) -> problems.add(p, "is not supported (only limits): Berth reserves nothing"));
        String lp = LocatedDocument.child(rp, "limits");
        JsonNode limits = r.path("limits");
        Keys.each(d.from, limits, lp, (k, p, value) -> {
            switch (k) {
                case "cpus" -> out.set("cpus", value);
                case "memory" -> {
                    Long bytes = ServiceTranslator.composeMemory(value.asText());
                    if (bytes == null) {
                        problems.add(p, "'" + value.asText() + "' is not a size such as 512m or 1g");
                    } else {
                        out.put("memory", bytes);
                    }
                }
                default -> problems.add(p, "is not supported (only cpus and memory)");
            }
        });
        if (!out.isEmpty()) {
            d.put("resources", out, lp);
        }
    }

    /** Shapes are checked by Berth's own schema afterwards, at the Compose file's lines. */
    private void placement(JsonNode v, String pp) {
        ObjectNode out = NODES.objectNode();
        Keys.each(d.from, v, pp, (k, p, value) -> {
            switch (k) {
                case "constraints", "preferences" -> out.set(k, value);
                case "max_replicas_per_node" -> problems.add(p, "is not supported yet: spread tasks with preferences, "
                        + "or keep them apart with constraints");
                default -> problems.add(p, "is not a placement key (constraints, preferences)");
            }
        });
        if (!out.isEmpty()) {
            d.put("placement", out, pp);
        }
    }

    private void update(JsonNode u, String up) {
        ObjectNode out = NODES.objectNode();
        String order = d.from.refused(up, "order") ? "start-first" : u.path("order").asText("start-first");
        if (!order.equals("start-first") && !order.equals("stop-first")) {
            problems.add(LocatedDocument.child(up, "order"), "'" + order + "' is not an order (start-first, stop-first)");
        }
        Keys.each(d.from, u, up, (k, p, v) -> {
            switch (k) {
                case "order" -> out.put("order", order);
                case "parallelism" -> {
                    JsonNode n = v.asInt() == 0 ? NODES.textNode("100%") : v;
                    out.set(order.equals("stop-first") ? "maxUnavailable" : "maxSurge", n);
                    if (order.equals("stop-first")) {
                        out.put("maxSurge", 0);
                    }
                }
                case "delay" -> seconds(v, p, out, "minReadySeconds");
                case "monitor" -> seconds(v, p, out, "monitorSeconds");
                case "failure_action" -> {
                    if (v.asText().equals("rollback") || v.asText().equals("pause")) {
                        out.set("failureAction", v);
                    } else {
                        problems.add(p, "'" + v.asText() + "' is not supported (rollback, pause): Berth never leaves "
                                + "a failed revision running on");
                    }
                }
                case "max_failure_ratio" -> {
                    if (v.asDouble() != 0) {
                        problems.add(p, "is not supported: any failed replica fails a Berth rollout");
                    }
                }
                default -> problems.add(p, "is not an update_config key Berth knows");
            }
        });
        d.put("update", out, up);
        for (String[] m : new String[][] {{"order", "order"}, {"maxSurge", "parallelism"}, {"maxUnavailable", "parallelism"},
                {"minReadySeconds", "delay"}, {"monitorSeconds", "monitor"}, {"failureAction", "failure_action"}}) {
            d.note("/spec/update/" + m[0], LocatedDocument.child(up, m[1]));
        }
    }

    private void seconds(JsonNode v, String p, ObjectNode out, String field) {
        Long s = ServiceTranslator.seconds(v, p, problems);
        if (s != null) {
            out.put(field, s);
        }
    }
}
