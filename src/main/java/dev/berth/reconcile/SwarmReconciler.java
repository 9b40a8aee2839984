package dev.berth.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.desired.BackoffPolicy;
import dev.berth.desired.ConfigMount;
import dev.berth.desired.DesiredState;
import dev.berth.desired.Names;
import dev.berth.desired.NetworkSpec;
import dev.berth.desired.ResolvedService;
import dev.berth.desired.SecretMount;
import dev.berth.desired.ServiceSpec;
import dev.berth.engine.EngineException;
import dev.berth.engine.Labels;
import dev.berth.engine.SwarmApi;
import dev.berth.events.EventLog;
import dev.berth.manifest.LoadResult;
import dev.berth.manifest.ManifestLoader;
import dev.berth.manifest.Problem;
import dev.berth.metrics.BerthMetrics;
import dev.berth.rollout.Command;
import dev.berth.rollout.CommandRejected;
import dev.berth.state.RevisionRecord;
import dev.berth.status.PhaseTracker;
import dev.berth.status.ServiceStatus;
import dev.berth.status.StatusBoard;
import dev.berth.swarm.DeclaredService;
import dev.berth.swarm.FileObjects;
import dev.berth.swarm.KeptTemplate;
import dev.berth.swarm.OperatorRequests;
import dev.berth.swarm.OverlayNetwork;
import dev.berth.swarm.SwarmAction;
import dev.berth.swarm.SwarmCheck;
import dev.berth.swarm.SwarmImages;
import dev.berth.swarm.SwarmNames;
import dev.berth.swarm.SwarmPlan;
import dev.berth.swarm.SwarmPlanner;
import dev.berth.swarm.SwarmRevisions;
import dev.berth.swarm.SwarmRollouts;
import dev.berth.swarm.SwarmSpecs;
import dev.berth.swarm.SwarmStatus;
import dev.berth.swarm.SwarmTarget;
import dev.berth.swarm.SwarmView;
import dev.berth.swarm.SwarmView.LiveObject;
import dev.berth.swarm.SwarmView.LiveService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One pass of the Swarm backend ({@code berth.backend=swarm}): read the manifests and what the
 * manager has → make the overlay networks and the secret and config objects the services need →
 * {@link SwarmPlanner decide} each service → create, update, roll back or remove it → remove
 * networks and objects nothing uses → publish status from the services and their tasks.
 *
 * <p>Swarm does the rollout itself (start-first batches gated on the container's healthcheck,
 * rollback on failure), so this pass sends specs and reads back how they are doing. Its state is
 * the Swarm's: revision numbers, spec hashes and the failed template of a rollback live in the
 * services' labels and previous specs, so a Berth restarted on another manager carries on.
 */
public final class SwarmReconciler implements ReconcileBackend {
    private static final Logger LOG = Logger.getLogger(SwarmReconciler.class);
    private static final String SECRETS = "secrets";
    private static final String CONFIGS = "configs";
    private static final String UNUSED = "nothing declares or uses it";

    private final ManifestLoader loader;
    private final SwarmApi api;
    private final String project;
    private final StatusBoard board;
    private final EventLog events;
    private final Path secretsDir;
    private final BackoffPolicy backoff;
    private final boolean allowEmpty;
    private final Map<String, String> labels;
    private final CommandQueue commands;
    /** The last failed call per service (or network/object key), kept for status after it recovers. */
    private final Map<String, Failure> errors = new HashMap<>();
    /** Fields of the spec the manager does not keep (an engine older than them): not compared. */
    private final Set<String> unkept = new HashSet<>();
    /** Per service, the template Berth last sent (what a rollback seen later was from). */
    private final Map<String, SwarmPlanner.Sent> lastSent = new HashMap<>();
    /** The manager's Engine API version, once known. */
    private String apiVersion;
    /** Services whose spec the last pass sent. */
    private Set<String> justSent = Set.of();
    /** Phase changes logged and evented, and each status's {@code since}, as on one host. */
    private final PhaseTracker phases;
    /** What the manager said in the last pass, for readers on other threads. */
    private volatile SwarmView lastView;
    /** Swarm's UpdateStatus per service as last seen, so each change is one event and counted once. */
    private final Map<String, SwarmRollouts.Seen> updateStates = new HashMap<>();
    private final BerthMetrics metrics;

    private record Failure(String message, Instant at) {}

    public SwarmReconciler(ManifestLoader loader, SwarmApi api, String project, StatusBoard board, EventLog events,
            BerthMetrics metrics, Path secretsDir, BackoffPolicy backoff, boolean allowEmpty,
            Consumer<String> wake) {
        this.loader = loader;
        this.metrics = metrics;
        this.api = api;
        this.project = project;
        this.board = board;
        this.events = events;
        this.secretsDir = secretsDir;
        this.backoff = backoff;
        this.allowEmpty = allowEmpty;
        this.labels = Map.of(Labels.MANAGED, "true", Labels.PROJECT, project);
        this.commands = new CommandQueue(wake);
        this.phases = new PhaseTracker(events);
    }

    @Override
    public CompletableFuture<Void> submit(Command c) {
        return commands.submit(c);
    }

    @Override
    public Instant pass(boolean fresh) {
        return commands.run(pending -> pass(pending, fresh));
    }

    private Instant pass(List<PendingCommand> pending, boolean fresh) {
        LoadResult load = loader.load();
        List<Problem> problems = new ArrayList<>(load.problems());
        if (load.refusal() != null) {
            board.refused(problems, load.refusal());
            return null;
        }
        DesiredState desired = load.desired();
        SwarmView view;
        List<Problem> swarmProblems;
        try {
            SwarmApi.SwarmRole role = api.role();
            if (!role.usable()) {
                board.refused(problems, "berth.backend=swarm needs a Swarm manager at DOCKER_HOST; this engine's swarm "
                        + "state is '" + role.state() + "'" + (role.manager() ? "" : " and it is not a manager"));
                return Instant.now().plusSeconds(5);
            }
            swarmProblems = SwarmCheck.problems(project, desired, apiVersion(), loader.locator());
            problems.addAll(swarmProblems);
            view = read();
        } catch (EngineException e) {
            LOG.warnf("swarm manager unreachable: %s", e.getMessage());
            board.engineDown(problems);
            return Instant.now().plusSeconds(5);
        }
        String empty = ObserveStep.emptyRefusal(allowEmpty, load, loader.dir(), view.services().size(), "Swarm services");
        if (empty != null) {
            LOG.errorf("refusing to act: %s", empty);
            board.refused(problems, empty);
            PendingCommand.reject(pending, 409, "Berth refuses to act on the manifests directory: " + empty);
            return null;
        }
        learnUnkept(view);
        Set<String> held = held(desired, swarmProblems, view);

        Map<String, String> networkIds = networks(desired, held, view);
        Map<String, String> objectIds = new HashMap<>();
        Map<String, DeclaredService> declared = new TreeMap<>();
        String unkeptLabel = String.join(",", new TreeSet<>(unkept));
        for (ServiceSpec s : desired.services().values()) {
            if (held.contains(s.name())) {
                continue;
            }
            try {
                FileObjects files = objects(s, view, objectIds);
                ResolvedService r = new ResolvedService(s, SwarmImages.ref(s, view.services().get(s.name()), fresh, api::digest), null,
                        null, List.of(), "", 0);
                DeclaredService d = SwarmSpecs.declare(new SwarmTarget(project, r, desired.volumes(), backoff, files),
                        networkIds, objectIds);
                declared.put(s.name(), unkeptLabel.isEmpty() ? d : d.withLabel(Labels.UNKEPT, unkeptLabel));
            } catch (IOException | RuntimeException e) {
                // Held, not undeclared: a secret that cannot be read now must not remove what runs.
                held.add(s.name());
                fail(s.name(), "cannot declare the Swarm service: " + e.getMessage());
            }
        }
        SwarmPlan plan = SwarmPlanner.plan(declared, held, commands(pending, declared, view), view, unkept,
                justSent, lastSent, Instant.now());
        plan.refused().forEach((svc, why) -> pending.stream()
                .filter(p -> p.command() instanceof Command.Restart && p.command().service().equals(svc))
                .forEach(p -> p.done().completeExceptionally(new CommandRejected(409, why))));
        for (String field : plan.unkept()) {
            if (unkept.add(field)) {
                String text = "the Swarm manager does not keep " + field + " of a service spec (an engine older than "
                        + "the field ignores it); Berth stops comparing it";
                // It may be a hardening tasks run without.
                warn("FieldNotKept", text);
            }
        }
        List<SwarmAction> accepted = act(plan);
        boolean acted = !plan.actions().isEmpty();
        Set<String> sent = new HashSet<>();
        plan.actions().stream().filter(a -> a instanceof SwarmAction.Create || a instanceof SwarmAction.Update)
                .forEach(a -> sent.add(a.service()));
        justSent = sent;
        pending.forEach(p -> p.done().complete(null));
        try {
            if (acted) {
                view = read();
            }
            keepTemplates(SwarmRevisions.toKeep(accepted, declared, view));
            Map<String, Integer> limits = new HashMap<>();
            desired.services().values().forEach(s -> limits.put(s.name(), s.revisionHistoryLimit()));
            for (KeptTemplate k : SwarmRevisions.toDrop(view, limits, held)) {
                remove("config", k.objectName(), "a template past revisionHistoryLimit, or of a service gone",
                        () -> api.removeObject(CONFIGS, k.objectId()));
            }
            removeUnused(desired, declared, view);
        } catch (EngineException e) {
            LOG.warnf("swarm manager unreachable: %s", e.getMessage());
        }
        lastView = view;
        publish(desired, problems, view, plan);
        return next(view, plan);
    }

    /**
     * The manager's API version, asked once per process (and again after a failed ask). An engine
     * older than {@link SwarmCheck#JOBS_API} is told once in the log: it drops the capability lists
     * of the container defaults silently, and jobs are problems.
     */
    private String apiVersion() {
        if (apiVersion == null) {
            apiVersion = api.apiVersion();
            if (SwarmCheck.below(apiVersion, SwarmCheck.JOBS_API)) {
                String text = "the Swarm manager speaks Engine API " + apiVersion + ": tasks run without the container "
                        + "defaults' capability lists (API " + SwarmCheck.JOBS_API + "), and jobs are refused";
                warn("ManagerTooOld", text);
            }
        }
        return apiVersion;
    }

    /** What the manager does not do as asked, in the log and where operators look (events, the status page). */
    private void warn(String reason, String text) {
        LOG.warn(text);
        events.warning(null, null, reason, text);
    }

    private SwarmView read() {
        List<JsonNode> services = api.services(labels);
        List<String> ids = services.stream().map(n -> n.path("ID").asText()).toList();
        return SwarmView.of(services, api.tasks(ids), api.networks(labels), api.secrets(labels), api.configs(labels),
                api.nodes());
    }

    /**
     * Left as they run: services whose manifest Swarm cannot carry out (a problem), services of a
     * rejected file with no last good version, and services on a network with a problem.
     */
    private Set<String> held(DesiredState desired, List<Problem> swarmProblems, SwarmView view) {
        Set<String> badFiles = new HashSet<>();
        swarmProblems.forEach(p -> badFiles.add(p.file()));
        Set<String> badNetworks = new HashSet<>();
        for (NetworkSpec n : desired.networks().values()) {
            if (badFiles.contains(n.source())) {
                badNetworks.add(n.name());
            }
        }
        Set<String> held = new HashSet<>();
        for (ServiceSpec s : desired.services().values()) {
            if (badFiles.contains(s.source()) || s.networks().stream().anyMatch(badNetworks::contains)) {
                held.add(s.name());
            }
        }
        for (LiveService l : view.services().values()) {
            if (desired.holds(l.label(Labels.SOURCE))) {
                held.add(l.name());
            }
        }
        return held;
    }

    @Override
    public java.util.Optional<List<RevisionRecord>> revisions(String service) {
        SwarmView v = lastView;
        LiveService l = v == null ? null : v.services().get(service);
        return java.util.Optional.of(l == null ? List.of() : SwarmStatus.revisions(l, v.kept(service)));
    }

    /**
     * The operators' requests for this pass. Rollback goes to Swarm's previous spec or to a kept
     * revision's template ({@link SwarmRevisions#target}); retry and restart are Swarm updates;
     * pause and resume have no Swarm counterpart and are refused with the reason.
     */
    private OperatorRequests commands(List<PendingCommand> pending, Map<String, DeclaredService> declared,
            SwarmView view) {
        Set<String> rollback = new HashSet<>();
        Map<String, KeptTemplate> restore = new HashMap<>();
        Set<String> retry = new HashSet<>();
        Set<String> restart = new HashSet<>();
        for (PendingCommand p : pending) {
            Command c = p.command();
            LiveService l = view.services().get(c.service());
            DeclaredService d = declared.get(c.service());
            int status = 409;
            String refusal = null;
            if (l == null) {
                refusal = "no Swarm service " + c.service() + " is running";
            } else if (d == null) {
                refusal = c.service() + " is held as it runs: its manifest has problems (see status)";
            } else if (c instanceof Command.Rollback r) {
                SwarmRevisions.Target t = SwarmRevisions.target(l, d, view.kept(c.service()), r.revision(), view);
                if (t instanceof SwarmRevisions.Target.Previous prev) {
                    rollback.add(c.service());
                    events.normal(c.service(), prev.revision(), "RollbackRequested", "by " + c.who()
                            + " (Swarm's previous spec)");
                } else if (t instanceof SwarmRevisions.Target.Kept k) {
                    restore.put(c.service(), k.template());
                    events.normal(c.service(), k.template().revision(), "RollbackRequested", "by " + c.who()
                            + " (kept template " + k.template().objectName() + ")");
                } else if (t instanceof SwarmRevisions.Target.Refused no) {
                    status = no.status();
                    refusal = no.reason();
                }
            } else if (c instanceof Command.Restart) {
                restart.add(c.service());
                events.normal(c.service(), l.revision(), "RestartRequested", "by " + c.who());
            } else if (c instanceof Command.Retry) {
                retry.add(c.service());
                events.normal(c.service(), l.revision(), "RetryRequested", "by " + c.who());
            } else {
                refusal = c.getClass().getSimpleName().toLowerCase(Locale.ROOT)
                        + " is not supported by the Swarm backend yet: Swarm cannot be asked to pause or resume an update"
                        + " (rollback, retry and restart are)";
            }
            if (refusal != null) {
                p.done().completeExceptionally(new CommandRejected(status, refusal));
            }
        }
        return new OperatorRequests(rollback, restore, retry, restart);
    }

    /**
     * Makes a config object per template to keep ({@link KeptTemplate}); one that cannot be made
     * now is tried again next pass (the running template is kept from the manifest then).
     */
    private void keepTemplates(List<SwarmRevisions.Keep> keep) {
        for (SwarmRevisions.Keep k : keep) {
            Map<String, String> l = new TreeMap<>(labels);
            l.put(Labels.TEMPLATE_OF, k.service());
            l.put(Labels.REVISION, Integer.toString(k.revision()));
            l.put(Labels.SPEC_HASH, k.hash());
            if (!k.image().isEmpty()) {
                l.put(Labels.IMAGE, k.image());
            }
            byte[] content = k.spec().toString().getBytes(StandardCharsets.UTF_8);
            String name = SwarmNames.object(project, k.service() + ".r" + k.revision(), content);
            try {
                api.createObject(CONFIGS, name, l, content);
                LOG.debugf("service=%s revision=%d template kept as config %s", k.service(), k.revision(), name);
            } catch (EngineException e) {
                LOG.warnf("service=%s revision=%d: template not kept for rollbacks yet: %s", k.service(), k.revision(),
                        e.getMessage());
            }
        }
    }

    /** Makes the overlay networks the services need; answers the IDs of the project's networks by name. */
    private Map<String, String> networks(DesiredState desired, Set<String> held, SwarmView view) {
        Map<String, OverlayNetwork> wanted = new LinkedHashMap<>();
        for (ServiceSpec s : desired.services().values()) {
            if (held.contains(s.name())) {
                continue;
            }
            for (String n : s.joinedNetworks()) {
                NetworkSpec spec = desired.networks().get(n);
                wanted.put(n, spec == null ? OverlayNetwork.defaultNetwork(project) : OverlayNetwork.of(project, spec));
            }
        }
        Map<String, String> ids = new HashMap<>();
        view.networks().values().forEach(n -> ids.put(n.name(), n.id()));
        for (OverlayNetwork n : wanted.values()) {
            if (ids.containsKey(n.name())) {
                continue;
            }
            ObjectNode spec = SwarmApi.JSON.createObjectNode().put("Name", n.name()).put("Driver", n.driver())
                    .put("Internal", n.internal()).put("Attachable", n.attachable()).put("CheckDuplicate", true);
            spec.set("Labels", SwarmApi.JSON.valueToTree(n.labels()));
            try {
                ids.put(n.name(), api.createNetwork(spec));
                LOG.infof("network=%s created (overlay)", n.name());
                errors.remove("network " + n.name());
            } catch (EngineException e) {
                fail("network " + n.name(), e.getMessage());
            }
        }
        return ids;
    }

    /** Makes the secret and config objects of the service's files (content-hashed names). */
    private FileObjects objects(ServiceSpec s, SwarmView view, Map<String, String> ids) throws IOException {
        Map<String, String> secrets = new HashMap<>();
        for (SecretMount m : s.secrets()) {
            byte[] content = Files.readAllBytes(secretsDir.resolve(m.name()));
            secrets.put(m.name(), object(SECRETS, m.name(), content, view.secrets(), ids));
        }
        Map<Path, String> configs = new HashMap<>();
        for (ConfigMount m : s.configs()) {
            byte[] content = Files.readAllBytes(m.source());
            configs.put(m.source(), object(CONFIGS, SwarmNames.configName(m.source()), content, view.configs(), ids));
        }
        return new FileObjects(secrets, configs);
    }

    private String object(String kind, String logical, byte[] content, Map<String, LiveObject> live,
            Map<String, String> ids) {
        String name = SwarmNames.object(project, logical, content);
        LiveObject have = live.get(name);
        if (have != null) {
            ids.put(name, have.id());
        } else if (!ids.containsKey(name)) {
            Map<String, String> l = new TreeMap<>(labels);
            l.put(Labels.NAME, logical);
            ids.put(name, api.createObject(kind, name, l, content));
            LOG.infof("%s=%s created", kind.substring(0, kind.length() - 1), name);
        }
        return name;
    }

    /** Carries out the plan; answers the actions Swarm accepted. A failed call is that service's error. */
    private List<SwarmAction> act(SwarmPlan plan) {
        List<SwarmAction> accepted = new ArrayList<>();
        plan.holds().forEach((svc, why) -> LOG.debugf("service=%s held: %s", svc, why.reason()));
        for (SwarmAction a : plan.actions()) {
            try {
                if (a instanceof SwarmAction.Create c) {
                    api.createService(c.spec());
                    lastSent.put(c.service(), new SwarmPlanner.Sent(c.spec().path("Labels").path(Labels.SPEC_HASH).asText(),
                            c.revision()));
                    LOG.infof("service=%s revision=%d created on Swarm", c.service(), c.revision());
                    events.normal(c.service(), c.revision(), "Created", "Swarm service "
                            + SwarmNames.service(project, c.service()) + " created");
                } else if (a instanceof SwarmAction.Update u) {
                    api.updateService(u.id(), u.version(), u.spec());
                    lastSent.put(u.service(), new SwarmPlanner.Sent(u.spec().path("Labels").path(Labels.SPEC_HASH).asText(),
                            u.revision()));
                    LOG.infof("service=%s revision=%d updated on Swarm: %s", u.service(), u.revision(), u.reason());
                    events.normal(u.service(), u.revision(), "Updated", u.reason());
                } else if (a instanceof SwarmAction.Rollback r) {
                    api.rollbackService(r.id(), r.version(), r.currentSpec());
                    lastSent.put(r.service(), new SwarmPlanner.Sent(r.currentSpec().path("Labels").path(Labels.SPEC_HASH)
                            .asText(), SwarmView.number(r.currentSpec().path("Labels").path(Labels.REVISION).asText())));
                    LOG.infof("service=%s rolled back on Swarm to its previous spec", r.service());
                    events.warning(r.service(), SwarmView.number(r.currentSpec().path("Labels").path(Labels.REVISION).asText()),
                            "RollingBack", "rollback to Swarm's previous spec (the operator's, or progressDeadlineSeconds passed)");
                } else if (a instanceof SwarmAction.RollbackTo r) {
                    api.updateService(r.id(), r.version(), r.spec());
                    lastSent.put(r.service(), new SwarmPlanner.Sent(r.spec().path("Labels").path(Labels.SPEC_HASH).asText(),
                            r.revision()));
                    LOG.infof("service=%s rolling back on Swarm to kept revision %d (the operator's request)",
                            r.service(), r.revision());
                    events.warning(r.service(), r.revision(), "RollingBack", "rollback to kept revision " + r.revision()
                            + " (the operator's)");
                } else if (a instanceof SwarmAction.MarkRolledBack m) {
                    api.updateService(m.id(), m.version(), m.spec());
                    LOG.warnf("service=%s rolled back by Swarm from revision %s; held until the manifest changes",
                            m.service(), m.spec().path("Labels").path(Labels.ROLLED_BACK_REVISION).asText());
                    events.warning(m.service(), null, "RolledBack", "Swarm rolled back from revision "
                            + m.spec().path("Labels").path(Labels.ROLLED_BACK_REVISION).asText());
                    metrics.rollout(m.service(), "rolled_back");
                } else if (a instanceof SwarmAction.Remove r) {
                    api.removeService(r.id());
                    LOG.infof("service=%s removed from Swarm (no longer declared)", r.service());
                    events.normal(r.service(), null, "Removed", "no longer declared");
                }
                errors.remove(a.service());
                accepted.add(a);
            } catch (EngineException e) {
                fail(a.service(), e.getMessage());
            }
        }
        return accepted;
    }

    /**
     * Networks and secret and config objects of the project that nothing declares and no service
     * uses, in its spec or its previous spec (which a rollback returns to), are removed; secrets
     * and configs a kept template uses stay with it. Swarm
     * refuses to remove what a task still uses; that is tried again next pass.
     */
    private void removeUnused(DesiredState desired, Map<String, DeclaredService> declared, SwarmView view) {
        Set<String> used = new HashSet<>();
        for (LiveService l : view.services().values()) {
            collectRefs(l.spec(), used);
            if (l.previous() != null) {
                collectRefs(l.previous(), used);
            }
        }
        declared.values().forEach(d -> collectRefs(d.spec(), used));
        Set<String> declaredNetworks = new HashSet<>();
        desired.networks().keySet().forEach(n -> declaredNetworks.add(Names.network(project, n)));
        for (LiveObject n : view.networks().values()) {
            if (!used.contains(n.id()) && !declaredNetworks.contains(n.name())) {
                remove("network", n.name(), UNUSED, () -> api.removeNetwork(n.id()));
            }
        }
        List<LiveObject> secrets = view.secrets().values().stream().filter(o -> !used.contains(o.name())).toList();
        List<LiveObject> configs = view.configs().values().stream().filter(o -> !used.contains(o.name())).toList();
        if (!secrets.isEmpty() || !configs.isEmpty()) {
            // Kept templates hold their files for a rollback to them (networks, being declared, are not held).
            view.kept().values().forEach(list -> list.forEach(k -> k.spec().ifPresent(spec -> collectRefs(spec, used))));
        }
        for (LiveObject o : secrets) {
            if (!used.contains(o.name())) {
                remove("secret", o.name(), UNUSED, () -> api.removeObject(SECRETS, o.id()));
            }
        }
        for (LiveObject o : configs) {
            if (!used.contains(o.name())) {
                remove("config", o.name(), UNUSED, () -> api.removeObject(CONFIGS, o.id()));
            }
        }
    }

    private static void collectRefs(JsonNode spec, Set<String> used) {
        JsonNode task = spec.path("TaskTemplate");
        task.path("Networks").forEach(n -> used.add(n.path("Target").asText()));
        task.path("ContainerSpec").path("Secrets").forEach(s -> used.add(s.path("SecretName").asText()));
        task.path("ContainerSpec").path("Configs").forEach(c -> used.add(c.path("ConfigName").asText()));
    }

    private void remove(String kind, String name, String why, Runnable call) {
        try {
            call.run();
            LOG.infof("%s=%s removed (%s)", kind, name, why);
        } catch (EngineException e) {
            LOG.debugf("%s=%s not removed yet: %s", kind, name, e.getMessage());
        }
    }

    private void publish(DesiredState desired, List<Problem> problems, SwarmView view, SwarmPlan plan) {
        Map<String, ServiceStatus> out = new TreeMap<>();
        for (ServiceSpec s : desired.services().values()) {
            LiveService live = view.services().get(s.name());
            Failure f = errors.get(s.name());
            Instant now = Instant.now();
            ServiceStatus st = phases.track(SwarmStatus.of(s, desired.manifestHashes().get(s.name()), live, view.tasks(),
                    view.nodes(), plan.holds().get(s.name()), f == null ? null : f.message(), f == null ? null : f.at(),
                    now), now);
            out.put(s.name(), st);
            // The same series as one host's, so dashboards and alert rules work unchanged.
            metrics.service(s, st);
            if (live != null) {
                var seen = new SwarmRollouts.Seen(live.updateState(), live.updateStartedAt());
                var was = updateStates.put(s.name(), seen);
                if (was != null && !was.equals(seen) && !live.updateState().isEmpty()) {
                    boolean bad = live.updateState().contains("rollback") || live.updateState().contains("paused");
                    events.record(s.name(), live.revision(), bad ? "Warning" : "Normal", "Swarm" + live.updateState(),
                            live.updateMessage().isEmpty() ? live.updateState() : live.updateMessage());
                }
                for (String result : SwarmRollouts.results(was, seen)) {
                    metrics.rollout(s.name(), result);
                    if (result.equals("succeeded") && live.updateStartedAt() != null && live.updateCompletedAt() != null) {
                        metrics.rolloutDuration(s.name(),
                                Duration.between(live.updateStartedAt(), live.updateCompletedAt()));
                    }
                }
            }
        }
        metrics.retain(out.keySet());
        updateStates.keySet().retainAll(out.keySet());
        lastSent.keySet().retainAll(out.keySet());
        phases.retain(out.keySet());
        String projectError = errors.entrySet().stream().filter(e -> e.getKey().startsWith("network "))
                .map(e -> e.getKey() + ": " + e.getValue().message()).findFirst().orElse(null);
        board.publish(out, problems, null, true, projectError);
    }

    /**
     * Fields the manager drops, as an earlier Berth learnt them and wrote them on the services
     * ({@link Labels#UNKEPT}): known from the first pass, so a restart writes nothing.
     */
    private void learnUnkept(SwarmView view) {
        for (LiveService l : view.services().values()) {
            for (String field : l.label(Labels.UNKEPT).split(",")) {
                if (!field.isBlank() && unkept.add(field.strip())) {
                    LOG.infof("the Swarm manager does not keep %s of a service spec (learnt from service %s's %s label); "
                            + "Berth does not compare it", field.strip(), l.name(), Labels.UNKEPT);
                }
            }
        }
    }

    /** Task states on the way to running. */
    private static final Set<String> STARTING = Set.of("new", "pending", "assigned", "accepted", "preparing",
            "ready", "starting");

    /**
     * When to look again without a trigger: in a second while something Berth sent, Swarm's
     * update or a replacement task is on its way; in five while tasks are missing and none is
     * starting (a task that cannot start: no events tell when that changes); else only on triggers.
     */
    private static Instant next(SwarmView view, SwarmPlan plan) {
        if (!plan.actions().isEmpty()) {
            return Instant.now().plusSeconds(1);
        }
        Instant next = null;
        for (LiveService l : view.services().values()) {
            if ("updating".equals(l.updateState()) || "rollback_started".equals(l.updateState())) {
                return Instant.now().plusSeconds(1);
            }
            JsonNode replicated = l.spec().path("Mode").path("Replicated");
            if (replicated.has("Replicas") && !plan.holds().containsKey(l.name())) {
                // Counted as status counts them: a node going down is no reason to look every second.
                if (view.serving(l.id(), r -> true) < replicated.path("Replicas").asLong()) {
                    boolean onItsWay = view.tasks().stream().anyMatch(t -> t.serviceId().equals(l.id()) && t.current()
                            && !t.running() && STARTING.contains(t.state()));
                    if (onItsWay) {
                        return Instant.now().plusSeconds(1);
                    }
                    next = Instant.now().plusSeconds(5);
                }
            }
        }
        return next;
    }

    private void fail(String key, String message) {
        LOG.warnf("%s: %s", key.contains(" ") ? key : "service=" + key, message);
        errors.put(key, new Failure(message, Instant.now()));
    }

    @Override
    public void close() {
        try {
            api.close();
        } catch (IOException e) {
            LOG.debug("closing the swarm client", e);
        }
    }
}
