package dev.berth.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import dev.berth.desired.NetworkSpec;
import dev.berth.desired.VolumeSpec;
import dev.berth.observed.ContainerState;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ObservedNetwork;
import dev.berth.observed.ObservedState;
import dev.berth.observed.ObservedVolume;
import dev.berth.desired.Names;
import dev.berth.desired.ResolvedService;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The only door to the Docker engine. Reads are plain; every changing call is idempotent in
 * effect (creating what exists or removing what is gone is not an error), so the reconciler can
 * repeat a half-done pass. Errors surface as {@link EngineException} with a readable message.
 */
public class DockerEngine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DockerEngine.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper ERRORS = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Ordinary calls, each bounded by {@link EngineTimeouts#call()}. */
    private final DockerClient docker;
    /** Calls that are silent for as long as they legitimately take (and bound themselves): events, pulls, stops, exec probes. */
    private final DockerClient streams;
    /** The readiness ping, bounded by {@link EngineTimeouts#ping()}. */
    private final DockerClient pinger;
    private final DockerClientConfig config;
    private final String project;
    private final ContainerBlueprint blueprint;
    private final ExternalStops externalStops = new ExternalStops();
    private final InspectCache inspected = new InspectCache(INSPECT_MAX_AGE);
    private final ViewCache views = new ViewCache(inspected, INSPECT_MAX_AGE);
    private final Fanout inspectors = new Fanout(INSPECT_WIDTH, "berth-inspect");
    private final RecentImages recentImages = new RecentImages(IMAGE_CHECK_AGE, System::nanoTime);
    private final ContainerReach reach;

    public DockerEngine(DockerClientConfig config, String project, String publishAddress) {
        this(config, project, publishAddress, EngineTimeouts.DEFAULTS);
    }

    public DockerEngine(DockerClientConfig config, String project, String publishAddress, EngineTimeouts timeouts) {
        this.config = config;
        this.docker = DockerClients.client(config, timeouts.call());
        this.streams = DockerClients.client(config);
        this.pinger = DockerClients.client(config, timeouts.ping());
        this.project = project;
        this.blueprint = new ContainerBlueprint(project, publishAddress);
        this.reach = new ContainerReach(DockerClients.socket(config) != null);
    }

    /**
     * How long a kept inspect is trusted while the event stream is up ({@link InspectCache}): what
     * no container event tells (a network disconnected by hand) is seen within this time, as the
     * default periodic resync would see it.
     */
    static final Duration INSPECT_MAX_AGE = Duration.ofSeconds(30);

    /** How long a create trusts an image inspect made for another create ({@link RecentImages}). */
    static final Duration IMAGE_CHECK_AGE = Duration.ofSeconds(2);

    /**
     * How many containers a pass inspects at once: as many as the rollout workers change at once,
     * so that during a cold start the pass that dispatches their work is not the slowest party.
     */
    static final int INSPECT_WIDTH = 8;

    public String project() {
        return project;
    }

    /**
     * Containers someone other than Berth stopped, killed or removed, learnt from the events that
     * {@link #watchEvents} follows (empty while nobody follows them).
     */
    public ExternalStops externalStops() {
        return externalStops;
    }

    /** Raw client, for tests that act on the engine behind Berth's back. */
    public DockerClient client() {
        return docker;
    }

    /**
     * Whether this host reaches the engine's containers at their bridge addresses
     * ({@link ContainerReach}): a rootful engine on a local socket. False until the engine answered.
     */
    public boolean reachesContainers() {
        return reach.get(() -> call("ask the engine what it is", () -> docker.infoCmd().exec()).getSecurityOptions());
    }

    public void ping() {
        call("ping the engine", () -> pinger.pingCmd().exec());
    }

    // ---- images ----

    /**
     * The image a revision's containers are created from: its reference (repo digest when it came
     * from a registry, else the tag) while that still names the revision's image on the host (so
     * {@code docker ps} shows it), else the image ID. A rollback to a revision whose tag was
     * rebuilt since then runs the old image, not the new one under the old name; and one whose
     * tag was removed ({@code docker rmi} also drops the repository's digest references) runs the
     * image that its {@link ImagePins pin} kept.
     */
    String pinned(ResolvedService target) {
        String ref = target.imageRef();
        if (target.imageId() == null) {
            return ref;
        }
        return recentImages.get(ref, this::image).map(ImageInfo::id).filter(target.imageId()::equals).isPresent()
                ? ref : target.imageId();
    }

    public Optional<ImageInfo> image(String ref) {
        try {
            InspectImageResponse r = docker.inspectImageCmd(ref).exec();
            return Optional.of(new ImageInfo(r.getId(), r.getRepoDigests() == null ? List.of() : r.getRepoDigests()));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new EngineException("inspect image " + ref + ": " + reason(e), e);
        }
    }

    /** Pulls with the credentials the Docker config holds for the image's registry. */
    public void pull(String ref, Duration timeout) {
        ImageRef r = ImageRef.parse(ref);
        // By repository: credentials belong to the registry host, whether a tag or a digest follows.
        AuthConfig auth = config.effectiveAuthConfig(r.repository());
        call("pull " + ref, () -> {
            var cmd = streams.pullImageCmd(r.repository());
            if (r.digest() != null) {
                cmd.withTag(r.digest());
            } else {
                cmd.withTag(r.tag());
            }
            if (auth != null && (auth.getUsername() != null || auth.getIdentitytoken() != null || auth.getAuth() != null)) {
                cmd.withAuthConfig(auth);
            }
            // Closing the callback ends the request: a pull given up on holds no connection.
            try (var pulling = cmd.exec(new PullImageResultCallback())) {
                if (!pulling.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new EngineException("pull " + ref + " did not finish within " + timeout);
                }
            }
            return null;
        });
    }

    // ---- observation ----

    /** What the engine runs of Berth's, asked afresh. */
    public ObservedState observe() {
        return observe(true);
    }

    /**
     * What the engine runs of Berth's: the kept view while the event stream vouches for it
     * ({@link ViewCache}), else asked afresh; {@code fresh} always asks (the periodic resync).
     */
    public ObservedState observe(boolean fresh) {
        Instant now = Instant.now();
        ObservedState kept = fresh ? null : views.get(now);
        if (kept != null) {
            return kept;
        }
        long mark = inspected.mark();
        ObservedState seen = call("read the engine's state", () -> {
            List<ObservedContainer> containers = containers();
            return new ObservedState(containers, networks(containers), volumes());
        });
        views.put(seen, mark, now);
        return seen;
    }

    /**
     * One list call, and an inspect of each container the {@link InspectCache} cannot vouch for:
     * with the event stream up and nothing happening, a pass inspects nothing. The inspects run
     * side by side ({@link #INSPECT_WIDTH}).
     */
    private List<ObservedContainer> containers() throws InterruptedException {
        long mark = inspected.mark();
        Instant now = Instant.now();
        List<Container> list = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.PROJECT, project, Labels.MANAGED, "true")).exec();
        List<ObservedContainer> kept = new ArrayList<>(list.size());
        List<Container> unknown = new ArrayList<>();
        for (Container c : list) {
            ObservedContainer o = inspected.get(c.getId(), String.valueOf(c.getState()), now);
            kept.add(o);
            if (o == null) {
                unknown.add(c);
            }
        }
        Iterator<ObservedContainer> fresh = inspectors.map(unknown, c -> inspect(c.getId())).iterator();
        List<ObservedContainer> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            ObservedContainer o = kept.get(i);
            if (o == null) {
                o = fresh.next();
                if (o == null) {
                    continue; // gone meanwhile
                }
                Container c = list.get(i);
                inspected.put(c.getId(), String.valueOf(c.getState()), o, mark, now);
            }
            out.add(o);
        }
        inspected.retain(list.stream().map(Container::getId).collect(java.util.stream.Collectors.toSet()));
        return out;
    }

    /** The container as inspecting it shows; null when it is gone. */
    private ObservedContainer inspect(String id) {
        String prefix = project + "_";
        InspectContainerResponse i;
        try {
            i = docker.inspectContainerCmd(id).exec();
        } catch (NotFoundException gone) {
            return null;
        }
        Map<String, String> l = i.getConfig().getLabels() == null ? Map.of() : i.getConfig().getLabels();
        Set<String> nets = new HashSet<>();
        Map<String, String> addresses = new HashMap<>();
        if (i.getNetworkSettings() != null && i.getNetworkSettings().getNetworks() != null) {
            i.getNetworkSettings().getNetworks().forEach((n, on) -> {
                String name = n.startsWith(prefix) ? n.substring(prefix.length()) : n;
                nets.add(name);
                if (on != null && on.getIpAddress() != null && !on.getIpAddress().isBlank()) {
                    addresses.put(name, on.getIpAddress());
                }
            });
        }
        var st = i.getState();
        var hc = i.getHostConfig();
        return new ObservedContainer(
                i.getId(),
                i.getName().startsWith("/") ? i.getName().substring(1) : i.getName(),
                l.getOrDefault(Labels.SERVICE, ""),
                parseInt(l.get(Labels.REVISION)),
                l.getOrDefault(Labels.SPEC_HASH, ""),
                parseInt(l.get(Labels.ORDINAL)),
                l.getOrDefault(Labels.SOURCE, ""),
                ContainerState.parse(st.getStatus()),
                st.getExitCodeLong() == null ? 0 : st.getExitCodeLong().intValue(),
                time(st.getStartedAt()),
                time(st.getFinishedAt()),
                i.getImageId(),
                hc == null || hc.getMemory() == null ? 0 : hc.getMemory(),
                hc == null || hc.getNanoCPUs() == null ? 0 : hc.getNanoCPUs(),
                nets,
                loopbackPorts(i),
                l.get(Labels.CONTAINER_NAME),
                st.getError() == null || st.getError().isBlank() ? null : st.getError(),
                addresses);
    }

    private static Map<Integer, Integer> loopbackPorts(InspectContainerResponse i) {
        Map<Integer, Integer> out = new HashMap<>();
        if (i.getNetworkSettings() == null || i.getNetworkSettings().getPorts() == null) {
            return out;
        }
        i.getNetworkSettings().getPorts().getBindings().forEach((exposed, bindings) -> {
            if (bindings == null) {
                return;
            }
            for (var b : bindings) {
                if (ContainerBlueprint.LOOPBACK.equals(b.getHostIp()) && b.getHostPortSpec() != null) {
                    try {
                        out.put(exposed.getPort(), Integer.parseInt(b.getHostPortSpec()));
                    } catch (NumberFormatException ignored) {
                        // a range: not one of ours
                    }
                }
            }
        });
        return out;
    }

    /**
     * Runs {@code command} in the container and answers its exit code, or -1 when it did not
     * finish within {@code timeout}. Used by exec health probes.
     */
    public int exec(String containerId, List<String> command, Duration timeout) {
        return call("exec in " + containerId, () -> {
            String execId = docker.execCreateCmd(containerId).withCmd(command.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).exec().getId();
            try (var running = streams.execStartCmd(execId)
                    .exec(new ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>())) {
                if (!running.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    return -1;
                }
            }
            Long code = docker.inspectExecCmd(execId).exec().getExitCodeLong();
            return code == null ? -1 : code.intValue();
        });
    }

    /**
     * Copies a container's stdout and stderr into {@code sink}: its last {@code tail} lines, then,
     * with {@code follow}, what it writes until it stops or the sink fails. Blocks until then. A
     * followed stream is silent for as long as the container is, so it goes through the unbounded
     * client (as events and pulls do); a plain read is an ordinary, bounded call. Returns normally
     * when the sink failed (the reader is gone).
     *
     * @throws EngineException the engine refused (no such container) or broke off
     */
    public void logs(String containerId, int tail, boolean follow, boolean timestamps, LogSink sink) {
        copyLogs("logs of " + containerId, sink, callback -> (follow ? streams : docker).logContainerCmd(containerId)
                .withStdOut(true).withStdErr(true).withTail(tail).withFollowStream(follow).withTimestamps(timestamps)
                .exec(callback));
    }

    /**
     * As {@link #logs}, of a Swarm task through the manager ({@code docker service logs} of one
     * task): the manager fetches them from the task's node, wherever it runs. {@code taskId} may
     * be a unique prefix, as the engine resolves it.
     */
    public void taskLogs(String taskId, int tail, boolean follow, boolean timestamps, LogSink sink) {
        copyLogs("logs of task " + taskId, sink, callback -> (follow ? streams : docker).logTaskCmd(taskId)
                .withStdout(true).withStderr(true).withTail(tail).withFollow(follow).withTimestamps(timestamps)
                .exec(callback));
    }

    private void copyLogs(String what, LogSink sink,
            java.util.function.Function<ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>,
                    ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>> start) {
        call(what, () -> {
            IOException[] gone = new IOException[1];
            var callback = new ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
                @Override
                public void onNext(com.github.dockerjava.api.model.Frame f) {
                    if (gone[0] != null) {
                        return;
                    }
                    try {
                        sink.write(f.getPayload());
                    } catch (IOException e) {
                        gone[0] = e;
                        try {
                            close();
                        } catch (IOException ignored) {
                            // the stream is being abandoned anyway
                        }
                    }
                }
            };
            try (var running = start.apply(callback)) {
                running.awaitCompletion();
            } catch (RuntimeException e) {
                if (gone[0] == null) {
                    throw e;
                }
            }
            return null;
        });
    }

    /**
     * The project's networks, each with how many containers are attached: counted from {@code ours}
     * when one of Berth's containers is (all the planner asks is whether any is), else by
     * inspecting the network, which also sees containers attached by hand. Inspecting a network
     * answers with every endpoint on it, so a pass does that only for networks none of ours uses.
     */
    private Map<String, ObservedNetwork> networks(List<ObservedContainer> ours) {
        Map<String, Integer> usedByOurs = new HashMap<>();
        for (ObservedContainer c : ours) {
            c.networks().forEach(n -> usedByOurs.merge(n, 1, Integer::sum));
        }
        Map<String, ObservedNetwork> out = new HashMap<>();
        String prefix = project + "_";
        for (Network n : docker.listNetworksCmd().exec()) {
            if (!n.getName().startsWith(prefix)) {
                continue;
            }
            boolean managed = n.getLabels() != null && project.equals(n.getLabels().get(Labels.PROJECT))
                    && "true".equals(n.getLabels().get(Labels.MANAGED));
            String logical = n.getName().substring(prefix.length());
            int attached = usedByOurs.getOrDefault(logical, 0);
            if (managed && attached == 0) {
                try {
                    Network full = docker.inspectNetworkCmd().withNetworkId(n.getId()).exec();
                    attached = full.getContainers() == null ? 0 : full.getContainers().size();
                } catch (NotFoundException gone) {
                    continue;
                }
            }
            out.put(logical, new ObservedNetwork(n.getId(), n.getName(), logical, managed, attached, n.getDriver()));
        }
        return out;
    }

    private Map<String, ObservedVolume> volumes() {
        Map<String, ObservedVolume> out = new HashMap<>();
        String prefix = project + "_";
        var resp = docker.listVolumesCmd().exec();
        if (resp.getVolumes() == null) {
            return out;
        }
        for (InspectVolumeResponse v : resp.getVolumes()) {
            if (!v.getName().startsWith(prefix)) {
                continue;
            }
            boolean managed = v.getLabels() != null && project.equals(v.getLabels().get(Labels.PROJECT))
                    && "true".equals(v.getLabels().get(Labels.MANAGED));
            String logical = v.getName().substring(prefix.length());
            out.put(logical, new ObservedVolume(v.getName(), logical, managed));
        }
        return out;
    }

    // ---- changes ----

    public void createNetwork(NetworkSpec spec) {
        Map<String, String> labels = new LinkedHashMap<>(spec.labels());
        labels.put(Labels.MANAGED, "true");
        labels.put(Labels.PROJECT, project);
        labels.put(Labels.NAME, spec.name());
        change("create network " + spec.name(), () -> {
            try {
                return docker.createNetworkCmd().withName(Names.network(project, spec.name()))
                        .withDriver(spec.driver()).withInternal(spec.internal()).withLabels(labels)
                        .withCheckDuplicate(true).exec();
            } catch (ConflictException exists) {
                return null;
            }
        });
    }

    public void removeNetwork(String id) {
        change("remove network " + id, () -> {
            try {
                docker.removeNetworkCmd(id).exec();
            } catch (NotFoundException gone) {
                // already gone: the goal is reached
            }
            return null;
        });
    }

    public void createVolume(VolumeSpec spec) {
        Map<String, String> labels = new LinkedHashMap<>(spec.labels());
        labels.put(Labels.MANAGED, "true");
        labels.put(Labels.PROJECT, project);
        labels.put(Labels.NAME, spec.name());
        change("create volume " + spec.name(), () -> docker.createVolumeCmd().withName(Names.volume(project, spec.name()))
                .withDriver(spec.driver()).withDriverOpts(spec.driverOpts()).withLabels(labels).exec());
    }

    /**
     * Creates, connects and starts one incarnation of a replica under a fresh name (see
     * {@link Names}), so it never collides with a predecessor that is still draining or stopping.
     * A container left half-made is cleaned up by the next pass.
     */
    public String createAndStart(ResolvedService target, int ordinal) {
        String name = Names.container(project, target.name(), target.revision(), ordinal,
                Names.suffix(java.util.concurrent.ThreadLocalRandom.current()));
        return change("create " + name, () -> {
            String id = blueprint.create(docker, target, pinned(target), ordinal, name).exec().getId();
            LOG.infof("service=%s revision=%d created %s", target.name(), target.revision(), name);
            List<String> nets = blueprint.networks(target.spec());
            for (int i = 1; i < nets.size(); i++) {
                docker.connectToNetworkCmd().withNetworkId(nets.get(i)).withContainerId(id)
                        .withContainerNetwork(new ContainerNetwork().withAliases(blueprint.aliases(target.spec(), i))).exec();
            }
            docker.startContainerCmd(id).exec();
            return id;
        });
    }

    public void start(String id) {
        change("start " + id, () -> {
            try {
                docker.startContainerCmd(id).exec();
            } catch (NotModifiedException alreadyRunning) {
                // the goal is reached
            }
            return null;
        });
    }

    /**
     * SIGTERM, SIGKILL after {@code grace}, then remove. Anonymous volumes go with the container;
     * named volumes and bind mounts are never removed.
     */
    public void stopAndRemove(String id, Duration grace) {
        externalStops.own(id, Instant.now());
        change("remove container " + id, () -> {
            try {
                var stop = streams.stopContainerCmd(id);
                if (grace != null) {
                    // Docker counts whole seconds; round up so a short grace period is never zero.
                    stop.withTimeout((int) Math.max(1, (grace.toMillis() + 999) / 1000));
                }
                stop.exec();
            } catch (NotModifiedException | NotFoundException ignored) {
                // already stopped or gone
            }
            try {
                docker.removeContainerCmd(id).withRemoveVolumes(true).withForce(true).exec();
            } catch (NotFoundException gone) {
                // already gone
            }
            return null;
        });
    }

    /**
     * Container actions that can change what a pass sees. Exec, attach, resize, top and the like
     * leave the container as it was: an exec health probe would otherwise start three passes.
     */
    static final java.util.Set<String> LIFECYCLE = java.util.Set.of("create", "start", "restart", "die", "kill", "oom",
            "stop", "destroy", "pause", "unpause", "rename", "update");

    /** Whether an event's action (e.g. "die", "exec_start: sh -c …") may have changed the container. */
    static boolean changesContainer(String action) {
        return action != null && LIFECYCLE.contains(action);
    }

    /**
     * Follows the engine's container events for this project until closed, calling
     * {@code onEvent} with the action name ("die", "destroy", …) of each lifecycle event
     * ({@link #LIFECYCLE}). Reconnects after errors. Every event also goes to
     * {@link #externalStops()}, before {@code onEvent} wakes anyone.
     */
    public Closeable watchEvents(Consumer<String> onEvent) {
        EventFollower f = new EventFollower(onEvent);
        f.connect();
        return f;
    }

    /**
     * One subscription to the engine's events, renewed after every break. The renewed stream starts
     * at the {@link EventCheckpoint} (the engine's time of the last event seen, or of the first
     * connection), so events the engine still holds that happened while the stream was broken are
     * delivered late instead of lost. An engine that restarted has forgotten its events; for that
     * (and for anything else missed) every reconnection also triggers a full pass ("reconnect").
     */
    private final class EventFollower implements Closeable {
        private final Consumer<String> onEvent;
        private final EventCheckpoint checkpoint = new EventCheckpoint();
        private volatile boolean closed;
        private volatile ResultCallback.Adapter<Event> current;

        EventFollower(Consumer<String> onEvent) {
            this.onEvent = onEvent;
        }

        void connect() {
            if (closed) {
                return;
            }
            var cmd = streams.eventsCmd()
                    .withEventTypeFilter(EventType.CONTAINER)
                    .withLabelFilter(Map.of(Labels.PROJECT, project));
            String since = checkpoint.since(Instant.now());
            cmd.withSince(since);
            LOG.debugf("following engine events since %s", since);
            ResultCallback.Adapter<Event> previous = current;
            // Current before it starts: a stream that fails at once must find itself current to reconnect.
            ResultCallback.Adapter<Event> next = new ResultCallback.Adapter<>() {
                        /**
                         * docker-java may end one stream with both onError and onComplete, and a
                         * subscription made while the engine is down fails at once: without this
                         * guard every break reconnected twice, and an engine restart multiplied
                         * the subscriptions (8 to 96 streams, each a thread and a socket, after
                         * four restarts). Only the current subscription reconnects, and once.
                         */
                        private final java.util.concurrent.atomic.AtomicBoolean ended =
                                new java.util.concurrent.atomic.AtomicBoolean();

                        private void ended() {
                            inspected.broken();
                            if (ended.compareAndSet(false, true) && !closed && current == this) {
                                externalStops.streamBroken(Instant.now());
                                reconnectLater();
                            }
                        }

                        @Override
                        public void onStart(Closeable stream) {
                            super.onStart(stream);
                            if (current == this) {
                                inspected.following();
                                externalStops.streamFollowing(Instant.now());
                            }
                        }

                        @Override
                        public void onNext(Event e) {
                            if (!checkpoint.advance(e.getTimeNano(), e.getTime())) {
                                return; // delivered before the break already
                            }
                            String action = e.getAction() == null ? e.getStatus() : e.getAction();
                            // Exec probes' events change nothing that inspecting shows. (Network
                            // connect/disconnect are network events, which carry no container
                            // labels to filter on: a network changed by hand is seen within
                            // INSPECT_MAX_AGE.)
                            if (action != null && !action.startsWith("exec_")) {
                                inspected.touched(e.getId() != null ? e.getId()
                                        : e.getActor() == null ? null : e.getActor().getId());
                            }
                            if (changesContainer(action)) {
                                externalStops.onEvent(action, e.getId() != null ? e.getId()
                                        : e.getActor() == null ? null : e.getActor().getId(),
                                        e.getActor() == null ? Map.of() : e.getActor().getAttributes(), Instant.now());
                                onEvent.accept(action);
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            if (!closed) {
                                LOG.debugf("engine event stream broke (%s); reconnecting", reason(t));
                            }
                            ended();
                        }

                        @Override
                        public void onComplete() {
                            ended();
                        }
                    };
            current = next;
            closeQuietly(previous);
            cmd.exec(next);
        }

        private static void closeQuietly(ResultCallback.Adapter<Event> stream) {
            try {
                if (stream != null) {
                    stream.close();
                }
            } catch (Exception ignored) {
                // closing a broken stream
            }
        }

        private void reconnectLater() {
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(2000);
                    onEvent.accept("reconnect");
                    connect();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    reconnectLater();
                }
            }, "berth-events-reconnect");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() {
            closed = true;
            inspected.broken();
            try {
                if (current != null) {
                    current.close();
                }
            } catch (Exception ignored) {
                // closing a broken stream
            }
        }
    }

    @Override
    public void close() throws Exception {
        try (pinger; streams; docker; inspectors) {
            // all three closed, in reverse order
        }
    }

    // ---- helpers ----

    private interface Call<T> {
        T run() throws Exception;
    }

    /**
     * A call that may change what {@link #observe} shows: when it ends, done or failed, the kept
     * view is dropped (a network or volume made or removed sends no event Berth follows).
     */
    private <T> T change(String what, Call<T> call) {
        try {
            return call(what, call);
        } finally {
            inspected.changed();
        }
    }

    private static <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        } catch (EngineException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(what + ": interrupted", e);
        } catch (Exception e) {
            throw new EngineException(what + ": " + reason(e), e);
        }
    }

    static String reason(Throwable e) {
        if (e instanceof DockerException de) {
            String m = de.getMessage() == null ? "" : de.getMessage();
            // docker-java wraps the engine's JSON answer: Status 500: {"message":"…"}
            int brace = m.indexOf('{');
            if (brace >= 0) {
                try {
                    String msg = ERRORS.readTree(m.substring(brace)).path("message").asText("");
                    if (!msg.isEmpty()) {
                        return msg + " (HTTP " + de.getHttpStatus() + ")";
                    }
                } catch (java.io.IOException notJson) {
                    // fall through to the raw text
                }
            }
            return m.strip();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof BoundedHttpClient.EngineSilent) {
            return root.getMessage();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static int parseInt(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Instant time(String s) {
        if (s == null || s.startsWith("0001-")) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
