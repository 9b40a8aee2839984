package dev.berth.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.Labels;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a Swarm manager said in one pass about the project: its services, their tasks, its
 * networks, secrets and configs (those of config files; the {@link KeptTemplate kept templates}
 * apart, by service, oldest revision first), and the nodes. Read from the Engine API's own JSON (see
 * {@code engine.SwarmApi}); pure, so the planner and status are table-tested on hand-written JSON.
 */
public record SwarmView(Map<String, LiveService> services, List<LiveTask> tasks, Map<String, LiveObject> networks,
        Map<String, LiveObject> secrets, Map<String, LiveObject> configs, Map<String, LiveNode> nodes,
        Map<String, List<KeptTemplate>> kept) {

    public SwarmView {
        kept = Map.copyOf(kept);
        services = Map.copyOf(services);
        tasks = List.copyOf(tasks);
        networks = Map.copyOf(networks);
        secrets = Map.copyOf(secrets);
        configs = Map.copyOf(configs);
        nodes = Map.copyOf(nodes);
    }

    /** Without kept templates (tests of decisions that do not look at history). */
    public SwarmView(Map<String, LiveService> services, List<LiveTask> tasks, Map<String, LiveObject> networks,
            Map<String, LiveObject> secrets, Map<String, LiveObject> configs, Map<String, LiveNode> nodes) {
        this(services, tasks, networks, secrets, configs, nodes, Map.of());
    }

    /** The kept templates of a service, oldest revision first. */
    public List<KeptTemplate> kept(String service) {
        return kept.getOrDefault(service, List.of());
    }

    /**
     * Whether a task's node is down (or unknown to Swarm as ready): such a task still says
     * running until the manager hears from the node again, so it serves nothing that counts.
     */
    public static boolean onLostNode(LiveTask t, Map<String, LiveNode> nodes) {
        LiveNode n = nodes.get(t.nodeId());
        return n != null && !"ready".equals(n.state());
    }

    /**
     * Tasks of the service that run where Swarm can reach them ({@link #onLostNode}, the rule
     * {@link SwarmStatus} counts by too): what dependsOn and the pass's timing count.
     */
    public long serving(String serviceId, java.util.function.IntPredicate revision) {
        return tasks.stream().filter(t -> t.serviceId().equals(serviceId) && t.running() && revision.test(t.revision())
                && !onLostNode(t, nodes)).count();
    }

    /**
     * A service as Swarm keeps it.
     *
     * @param name        the manifest's service name (Berth's {@code service} label)
     * @param previous    the spec before the last update (Swarm keeps one), or null
     * @param updateState Swarm's {@code UpdateStatus.State} ({@code updating}, {@code completed},
     *                    {@code paused}, {@code rollback_started}, {@code rollback_completed},
     *                    {@code rollback_paused}), or "" when no update ever ran
     */
    public record LiveService(String id, long version, String name, JsonNode spec, JsonNode previous,
            String updateState, String updateMessage, Instant updateStartedAt, Instant updateCompletedAt) {

        public String label(String key) {
            return spec.path("Labels").path(key).asText("");
        }

        public String previousLabel(String key) {
            return previous == null ? "" : previous.path("Labels").path(key).asText("");
        }

        public int revision() {
            return number(label(Labels.REVISION));
        }

        public int previousRevision() {
            return number(previousLabel(Labels.REVISION));
        }

        public boolean rolledBack() {
            return updateState.startsWith("rollback_");
        }

        /**
         * Swarm still runs an update that began longer than {@code deadline} ago ({@code
         * progressDeadlineSeconds}; Swarm has no deadline of its own). False without a deadline.
         */
        public boolean updatingLongerThan(java.time.Duration deadline, Instant now) {
            return deadline != null && now != null && "updating".equals(updateState) && updateStartedAt != null
                    && now.isAfter(updateStartedAt.plus(deadline));
        }
    }

    /**
     * A task: one attempt at running one replica slot.
     *
     * @param state        Swarm's {@code Status.State} ({@code new} … {@code running}, {@code complete},
     *                     {@code failed}, {@code shutdown}, {@code rejected}, {@code orphaned})
     * @param desiredState what the orchestrator wants of it: {@code running}, {@code shutdown}, …
     */
    public record LiveTask(String id, String serviceId, int slot, String nodeId, String state, String desiredState,
            int revision, String containerId, Integer exitCode, String error, Instant at) {

        /** Running and, with a healthcheck, healthy: Swarm holds a task in {@code starting} until then. */
        public boolean running() {
            return "running".equals(state) && "running".equals(desiredState);
        }

        /** The orchestrator still means it to run (not one it replaced or shut down). */
        public boolean current() {
            return "running".equals(desiredState) || "ready".equals(desiredState)
                    || "complete".equals(desiredState) && "complete".equals(state);
        }
    }

    public record LiveObject(String id, String name, Map<String, String> labels) {}

    /** @param state {@code ready}, {@code down}, {@code unknown} or {@code disconnected} */
    public record LiveNode(String id, String hostname, String state, String availability, String role) {}

    public static SwarmView of(List<JsonNode> services, List<JsonNode> tasks, List<JsonNode> networks,
            List<JsonNode> secrets, List<JsonNode> configs, List<JsonNode> nodes) {
        Map<String, LiveService> s = new TreeMap<>();
        for (JsonNode n : services) {
            LiveService l = service(n);
            if (!l.name().isEmpty()) {
                s.put(l.name(), l);
            }
        }
        Map<String, String> ours = new HashMap<>();
        s.values().forEach(l -> ours.put(l.id(), l.name()));
        List<LiveTask> t = tasks.stream().map(SwarmView::task).filter(x -> ours.containsKey(x.serviceId())).toList();
        Map<String, LiveNode> nd = new TreeMap<>();
        for (JsonNode n : nodes) {
            nd.put(n.path("ID").asText(), new LiveNode(n.path("ID").asText(), n.path("Description").path("Hostname").asText(""),
                    n.path("Status").path("State").asText(""), n.path("Spec").path("Availability").asText(""),
                    n.path("Spec").path("Role").asText("")));
        }
        Map<String, List<KeptTemplate>> kept = new TreeMap<>();
        List<JsonNode> files = new java.util.ArrayList<>();
        for (JsonNode c : configs) {
            java.util.Optional<KeptTemplate> k = KeptTemplate.of(c);
            if (k.isPresent()) {
                kept.computeIfAbsent(k.get().service(), x -> new java.util.ArrayList<>()).add(k.get());
            } else {
                files.add(c);
            }
        }
        kept.replaceAll((svc, list) -> list.stream()
                .sorted(java.util.Comparator.comparingInt(KeptTemplate::revision)).toList());
        return new SwarmView(s, t, objects(networks, "Id", "Name", "Labels"), objects(secrets, "ID", "Name", "Labels"),
                objects(files, "ID", "Name", "Labels"), nd, kept);
    }

    static LiveService service(JsonNode n) {
        JsonNode spec = n.path("Spec");
        JsonNode prev = n.path("PreviousSpec");
        JsonNode u = n.path("UpdateStatus");
        return new LiveService(n.path("ID").asText(), n.path("Version").path("Index").asLong(),
                spec.path("Labels").path(Labels.SERVICE).asText(""), spec, prev.isObject() ? prev : null,
                u.path("State").asText(""), u.path("Message").asText(""), time(u.path("StartedAt")),
                time(u.path("CompletedAt")));
    }

    static LiveTask task(JsonNode n) {
        JsonNode st = n.path("Status");
        JsonNode cs = st.path("ContainerStatus");
        String revision = n.path("Spec").path("ContainerSpec").path("Labels").path(Labels.REVISION).asText("");
        return new LiveTask(n.path("ID").asText(), n.path("ServiceID").asText(), n.path("Slot").asInt(0),
                n.path("NodeID").asText(""), st.path("State").asText(""), n.path("DesiredState").asText(""),
                number(revision), cs.path("ContainerID").asText(""),
                cs.has("ExitCode") ? cs.path("ExitCode").asInt() : null, st.path("Err").asText(""),
                time(st.path("Timestamp")));
    }

    /** Networks carry name and labels at the top; secrets and configs inside {@code Spec}. */
    private static Map<String, LiveObject> objects(List<JsonNode> list, String idKey, String nameKey, String labelsKey) {
        Map<String, LiveObject> out = new TreeMap<>();
        for (JsonNode n : list) {
            JsonNode holder = n.has("Spec") ? n.path("Spec") : n;
            Map<String, String> labels = new TreeMap<>();
            holder.path(labelsKey).fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            String name = holder.path(nameKey).asText("");
            out.put(name, new LiveObject(n.path(idKey).asText(), name, labels));
        }
        return out;
    }

    public static int number(String s) {
        try {
            return s.isEmpty() ? 0 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** An Engine API time; null for none, Swarm's zero time ("0001-…") or one that does not parse. */
    static Instant time(JsonNode n) {
        String s = n.asText("");
        if (s.isEmpty() || s.startsWith("0001-")) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
