package dev.berth.swarm;

import dev.berth.desired.ServiceSpec;
import dev.berth.engine.Labels;
import dev.berth.status.Phase;
import dev.berth.status.ServiceStatus;
import dev.berth.swarm.SwarmView.LiveNode;
import dev.berth.swarm.SwarmView.LiveService;
import dev.berth.swarm.SwarmView.LiveTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Swarm service and its tasks in the shapes status has on one host, so the status page, the
 * CLI and monitors read both backends alike. A task is a replica: its slot is the ordinal, its
 * container's {@code revision} label the revision. Swarm holds a task with a healthcheck in
 * {@code starting} until it is healthy, so running means ready. The rollout is Swarm's
 * {@code UpdateStatus}. Pure: what the manager said, in, status out.
 */
public final class SwarmStatus {
    private SwarmStatus() {}

    /**
     * @param live  the service as Swarm has it, or null when it is not created yet
     * @param hold  why Berth leaves it alone (a rollback or a paused update), or null
     * @param error the last failed call for it, or null
     * @param now   for {@code progressDeadlineSeconds} under {@code failureAction: pause}
     */
    public static ServiceStatus of(ServiceSpec spec, String manifestHash, LiveService live, List<LiveTask> tasks,
            Map<String, LiveNode> nodes, SwarmHold hold, String error, Instant errorAt, Instant now) {
        if (live == null) {
            Phase phase = error != null ? Phase.Failed : hold != null && hold.kind() == SwarmHold.Kind.WAITING
                    ? Phase.Waiting : Phase.Progressing;
            String message = error != null ? error : hold != null ? hold.reason() : "the Swarm service is not created yet";
            return new ServiceStatus(spec.name(), spec.source(), 0, null, manifestHash, spec.image(), null,
                    new ServiceStatus.Replicas(spec.replicas(), 0, 0, 0), phase, message, null, List.of(), error, errorAt,
                    0, null, null, List.of());
        }
        int revision = live.revision();
        List<LiveTask> mine = tasks.stream().filter(t -> t.serviceId().equals(live.id())).toList();
        List<LiveTask> current = mine.stream().filter(LiveTask::current)
                .sorted(Comparator.comparingInt(LiveTask::revision).thenComparingInt(LiveTask::slot)).toList();
        // A task on a node that is down still says running until the manager hears from the node again.
        List<LiveTask> reachable = current.stream().filter(t -> !SwarmView.onLostNode(t, nodes)).toList();
        int running = (int) reachable.stream().filter(LiveTask::running).count();
        int updated = (int) reachable.stream().filter(t -> t.running() && t.revision() == revision).count();
        int desired = desiredReplicas(live, spec);
        Map<Integer, int[]> perRevision = new TreeMap<>();
        for (LiveTask t : reachable) {
            if (t.running()) {
                int[] c = perRevision.computeIfAbsent(t.revision(), r -> new int[1]);
                c[0]++;
            }
        }
        List<ServiceStatus.RevisionCount> revisions = new ArrayList<>();
        perRevision.forEach((r, c) -> revisions.add(new ServiceStatus.RevisionCount(r, c[0], c[0])));
        int failures = (int) mine.stream().filter(t -> t.revision() == revision && failed(t)).count();
        String digest = digest(live.spec().path("TaskTemplate").path("ContainerSpec").path("Image").asText(""));
        Phase phase = phase(spec, live, reachable, running, updated, desired, hold);
        String message = message(phase, live, current, nodes, hold, running, desired);
        String overdue = hold == null && phase == Phase.Progressing ? overdue(spec, live, now) : null;
        if (overdue != null) {
            phase = Phase.Degraded;
            message = message == null ? overdue : overdue + "; " + message;
        }
        List<ServiceStatus.ReplicaStatus> containers = current.stream().map(t -> replica(spec.name(), t, nodes)).toList();
        return new ServiceStatus(spec.name(), spec.source(), revision, live.label(Labels.SPEC_HASH), manifestHash,
                spec.image(), digest, new ServiceStatus.Replicas(desired, running, running, updated), phase,
                message, rollout(live, hold), revisions, error, errorAt, failures, null, null, containers);
    }

    /**
     * The revisions of a service, oldest first: the kept templates ({@link KeptTemplate}, with
     * when each was first sent), Swarm's previous spec, the one a rollback came from (Berth's
     * mark) and the running one, each once, with its outcome.
     */
    public static List<dev.berth.state.RevisionRecord> revisions(LiveService live, List<KeptTemplate> kept) {
        Map<Integer, dev.berth.state.RevisionRecord> out = new TreeMap<>();
        for (KeptTemplate k : kept) {
            String image = k.spec().map(s -> s.path("TaskTemplate").path("ContainerSpec").path("Image").asText(""))
                    .orElse("");
            out.put(k.revision(), new dev.berth.state.RevisionRecord(k.revision(), k.hash(),
                    k.image().isEmpty() ? image : k.image(), digest(image), k.createdAt(), null, "Superseded"));
        }
        if (live.previous() != null && live.previousRevision() != live.revision()) {
            out.put(live.previousRevision(), record(live.previous(), live.previousRevision(), "Superseded", out));
        }
        int failed = SwarmView.number(live.label(Labels.ROLLED_BACK_REVISION));
        if (failed > 0) {
            dev.berth.state.RevisionRecord was = out.get(failed);
            out.put(failed, was != null && was.specHash().equals(live.label(Labels.ROLLED_BACK_FROM))
                    ? new dev.berth.state.RevisionRecord(failed, was.specHash(), was.image(), was.imageDigest(),
                            was.createdAt(), null, "Rolled back")
                    : new dev.berth.state.RevisionRecord(failed, live.label(Labels.ROLLED_BACK_FROM), null, null, null, null,
                            "Rolled back"));
        }
        String outcome = "updating".equals(live.updateState()) ? "Progressing"
                : failed > 0 ? "Restored by rollback" : "Complete";
        out.put(live.revision(), record(live.spec(), live.revision(), outcome, out));
        return List.copyOf(out.values());
    }

    /** A revision from a spec Swarm has, with when it was kept if it was. */
    private static dev.berth.state.RevisionRecord record(com.fasterxml.jackson.databind.JsonNode spec, int revision,
            String outcome, Map<Integer, dev.berth.state.RevisionRecord> kept) {
        String image = spec.path("TaskTemplate").path("ContainerSpec").path("Image").asText("");
        dev.berth.state.RevisionRecord k = kept.get(revision);
        return new dev.berth.state.RevisionRecord(revision, spec.path("Labels").path(Labels.SPEC_HASH).asText(""),
                spec.path("Labels").path(Labels.IMAGE).asText(image), digest(image), k == null ? null : k.createdAt(), null,
                outcome);
    }

    static int desiredReplicas(LiveService live, ServiceSpec spec) {
        var mode = live.spec().path("Mode");
        if (mode.has("Replicated")) {
            return mode.path("Replicated").path("Replicas").asInt(spec.replicas());
        }
        return spec.replicas();
    }

    static Phase phase(ServiceSpec spec, LiveService live, List<LiveTask> current, int running, int updated,
            int desired, SwarmHold hold) {
        String u = live.updateState();
        if (hold != null) {
            return switch (hold.kind()) {
                case ROLLING_BACK -> Phase.Progressing;
                // An operator's rollback to a kept template is an update Swarm rolls out first.
                case ROLLED_BACK -> "updating".equals(u) && (running < desired || updated < desired) ? Phase.Progressing
                        : Phase.RolledBack;
                case PAUSED -> Phase.Paused;
                case WAITING -> Phase.Waiting;
            };
        }
        if (spec.isJob()) {
            long done = current.stream().filter(t -> "complete".equals(t.state())).count();
            if (done >= desired) {
                return Phase.Completed;
            }
            return current.stream().anyMatch(SwarmStatus::failed) ? Phase.Failed : Phase.Progressing;
        }
        // Before Swarm's own state: Swarm says updating for the whole Monitor period after the last
        // new task runs; on one host the service is Available then, the monitor window on top.
        if (running >= desired && updated >= desired) {
            return Phase.Available;
        }
        if ("updating".equals(u) || "rollback_started".equals(u)) {
            return Phase.Progressing;
        }
        return current.stream().anyMatch(SwarmStatus::failed) ? Phase.Degraded : Phase.Progressing;
    }

    /**
     * With {@code failureAction: pause}, an update Swarm still runs past {@code
     * progressDeadlineSeconds}, in words; else null. One host pauses such a rollout; Swarm
     * cannot be asked to pause an update, so Berth says it (phase Degraded, as Kubernetes'
     * ProgressDeadlineExceeded says it without stopping anything) and leaves the choice to the
     * operator. With {@code rollback} Berth rolls back instead ({@link SwarmPlanner}).
     */
    static String overdue(ServiceSpec spec, LiveService live, Instant now) {
        var u = spec.update();
        if (u.failureAction() != dev.berth.desired.UpdatePolicy.FailureAction.PAUSE
                || !live.updatingLongerThan(u.progressDeadline(), now)) {
            return null;
        }
        return "progress deadline exceeded: revision " + live.revision() + " not complete "
                + u.progressDeadline().toSeconds() + " s after its update started; Swarm goes on with it (it cannot "
                + "be asked to pause an update): roll back or retry over the API";
    }

    static String message(Phase phase, LiveService live, List<LiveTask> current, Map<String, LiveNode> nodes,
            SwarmHold hold, int running, int desired) {
        if (hold != null) {
            return hold.reason();
        }
        List<String> words = new ArrayList<>();
        if (phase != Phase.Available && phase != Phase.Completed) {
            words.add(running + " of " + desired + " replicas running");
            if (!live.updateMessage().isEmpty()) {
                words.add(live.updateState() + ": " + live.updateMessage());
            }
            current.stream().filter(t -> !t.error().isEmpty()).findFirst()
                    .ifPresent(t -> words.add("task " + t.slot() + ": " + t.error()));
        }
        nodes.values().stream().filter(n -> !"ready".equals(n.state()))
                .forEach(n -> words.add("node " + n.hostname() + " is " + n.state()));
        return words.isEmpty() ? null : String.join("; ", words);
    }

    /**
     * Swarm's UpdateStatus; a service held after a rollback says so whatever Swarm's last update was
     * (the label's): {@code ROLLING_BACK} while the update to a kept template runs, then {@code ROLLED_BACK}.
     */
    static ServiceStatus.Rollout rollout(LiveService live, SwarmHold hold) {
        if (hold != null && hold.kind() == SwarmHold.Kind.ROLLED_BACK) {
            int from = SwarmView.number(live.label(Labels.ROLLED_BACK_REVISION));
            return new ServiceStatus.Rollout("updating".equals(live.updateState()) ? "ROLLING_BACK" : "ROLLED_BACK",
                    from == 0 ? null : from, live.revision(),
                    live.updateStartedAt(), live.updateCompletedAt(), hold.reason());
        }
        String state = switch (live.updateState()) {
            case "updating" -> "PROGRESSING";
            case "completed" -> "COMPLETE";
            case "paused", "rollback_paused" -> "PAUSED";
            case "rollback_started" -> "ROLLING_BACK";
            case "rollback_completed" -> "ROLLED_BACK";
            default -> null;
        };
        if (state == null) {
            return null;
        }
        int from = live.previous() == null ? 0 : live.previousRevision();
        return new ServiceStatus.Rollout(state, from == 0 ? null : from, live.revision(), live.updateStartedAt(),
                live.updateCompletedAt(), live.updateMessage().isEmpty() ? null : live.updateMessage());
    }

    static ServiceStatus.ReplicaStatus replica(String service, LiveTask t, Map<String, LiveNode> nodes) {
        LiveNode n = nodes.get(t.nodeId());
        if (SwarmView.onLostNode(t, nodes)) {
            return new ServiceStatus.ReplicaStatus(replicaName(service, t),
                    t.containerId().isEmpty() ? null : t.containerId().substring(0, Math.min(12, t.containerId().length())),
                    t.revision(), t.slot(), "node " + n.state(), null, t.at(), null, false,
                    "its node " + n.hostname() + " is " + n.state(), n.hostname());
        }
        String health = switch (t.state()) {
            case "running" -> "READY";
            case "starting", "preparing", "assigned", "accepted", "pending", "new", "ready" -> "STARTING";
            case "failed", "rejected" -> "UNHEALTHY";
            default -> null;
        };
        String id = t.containerId().isEmpty() ? t.id() : t.containerId();
        return new ServiceStatus.ReplicaStatus(replicaName(service, t),
                id.substring(0, Math.min(12, id.length())), t.revision(), t.slot(), t.state(), ended(t) ? t.exitCode() : null,
                t.at(),
                health, t.running(), t.error().isEmpty() ? null : t.error(), n == null ? null : n.hostname());
    }

    /** A replica on Swarm is a task, named as the docker CLI names it: {@code <service>.<slot>.<task id prefix>}. */
    static String replicaName(String service, LiveTask t) {
        return service + "." + t.slot() + "." + t.id().substring(0, Math.min(12, t.id().length()));
    }

    /**
     * The task id prefix in a replica's name ({@link #replicaName}): the manager resolves it,
     * and reads the task's logs on whichever node it runs.
     */
    public static String taskId(ServiceStatus.ReplicaStatus r) {
        return r.name().substring(r.name().lastIndexOf('.') + 1);
    }

    /** The task's container has exited: its exit code means something. */
    static boolean ended(LiveTask t) {
        return switch (t.state()) {
            case "complete", "failed", "shutdown", "rejected", "orphaned" -> true;
            default -> false;
        };
    }

    static boolean failed(LiveTask t) {
        return "failed".equals(t.state()) || "rejected".equals(t.state());
    }

    /** {@code repo@sha256:…} of a pinned image reference, or null. */
    static String digest(String image) {
        int at = image.indexOf('@');
        if (at < 0) {
            return null;
        }
        String repo = image.substring(0, at);
        int slash = repo.lastIndexOf('/');
        int colon = repo.lastIndexOf(':');
        if (colon > slash) {
            repo = repo.substring(0, colon);
        }
        return repo + image.substring(at);
    }
}
