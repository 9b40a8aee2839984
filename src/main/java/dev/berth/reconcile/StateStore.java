package dev.berth.reconcile;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import dev.berth.plan.ResolvedService;

/**
 * Berth's own memory in the state directory: per service the revisions it has given out (with
 * what a rollback needs), the rollout in progress, the job runs that completed, plus a random
 * salt for secret digests. Everything else is read back from the engine's labels. Writes are
 * atomic. A lost state directory costs the history and the salt: services with secrets then get
 * a new spec hash and are replaced once.
 */
public final class StateStore {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .enable(SerializationFeature.INDENT_OUTPUT).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Serialized form of one service's file. */
    public record ServiceState(List<RevisionRecord> revisions, Set<String> completedJobs, RolloutRecord rollout,
            int restartGeneration) {}

    private final Path dir;
    private final Map<String, ServiceState> services = new HashMap<>();
    private final byte[] salt;

    public StateStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir.resolve("services"));
            this.salt = loadSalt();
        } catch (IOException e) {
            throw new UncheckedIOException("state directory " + dir + " is not usable", e);
        }
    }

    public Path dir() {
        return dir;
    }

    public byte[] salt() {
        return salt.clone();
    }

    private byte[] loadSalt() throws IOException {
        Path p = dir.resolve("salt");
        if (Files.isRegularFile(p)) {
            return Files.readAllBytes(p);
        }
        byte[] s = new byte[32];
        new SecureRandom().nextBytes(s);
        AtomicFiles.write(p, s, "rw-------");
        return s;
    }

    private synchronized ServiceState state(String service) {
        return services.computeIfAbsent(service, s -> {
            Path p = file(s);
            if (Files.isRegularFile(p)) {
                try {
                    return JSON.readValue(p.toFile(), new TypeReference<ServiceState>() {});
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + p, e);
                }
            }
            return new ServiceState(new ArrayList<>(), new TreeSet<>(), null, 0);
        });
    }

    private Path file(String service) {
        return dir.resolve("services").resolve(service + ".json");
    }

    private void save(String service, ServiceState s) {
        try {
            AtomicFiles.write(file(service), JSON.writeValueAsBytes(s), "rw-------");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write state of " + service, e);
        }
    }

    public synchronized List<RevisionRecord> revisions(String service) {
        return List.copyOf(state(service).revisions());
    }

    public synchronized Optional<RevisionRecord> revision(String service, String specHash) {
        return state(service).revisions().stream().filter(r -> r.specHash().equals(specHash)).findFirst();
    }

    /**
     * The revision number for a spec hash: the one recorded, else the one found on a running
     * container (adopted after a lost state dir), else the next free number.
     *
     * @param seen revision numbers by spec hash as found on the engine's containers
     */
    public synchronized int revisionFor(String service, String specHash, Map<String, Integer> seen) {
        ServiceState s = state(service);
        Optional<RevisionRecord> known = revision(service, specHash);
        if (known.isPresent()) {
            return known.get().revision();
        }
        int number = seen.getOrDefault(specHash, 0);
        if (number == 0) {
            int max = s.revisions().stream().mapToInt(RevisionRecord::revision).max().orElse(0);
            max = Math.max(max, seen.values().stream().mapToInt(Integer::intValue).max().orElse(0));
            max = Math.max(max, s.rollout() == null ? 0 : Math.max(s.rollout().toRevision(), s.rollout().fromRevision()));
            number = max + 1;
        }
        return number;
    }

    /**
     * Records a resolved revision (once per spec hash), trimming history to {@code limit} records
     * but never dropping the revisions named in {@code protect} (what runs and what a rollback needs).
     * A revision already recorded takes {@code r}'s healthcheck, which is not part of the spec hash:
     * its replicas are probed with the manifest's current one, and a later rollback to it uses the
     * healthcheck it last ran with.
     */
    public synchronized void record(ResolvedService r, int limit, Set<String> protect) {
        ServiceState s = state(r.name());
        if (s.revisions().stream().anyMatch(x -> x.specHash().equals(r.specHash()))) {
            update(r.name(), r.specHash(), x -> x.withHealthcheck(r.spec().healthcheck()));
            return;
        }
        List<RevisionRecord> list = new ArrayList<>(s.revisions());
        list.add(new RevisionRecord(r.revision(), r.specHash(), r.spec().image(), r.imageDigest(), Instant.now(), r,
                "Progressing"));
        while (list.size() > limit) {
            RevisionRecord oldest = list.stream().filter(x -> !protect.contains(x.specHash()) && !x.specHash().equals(r.specHash()))
                    .min(java.util.Comparator.comparing(RevisionRecord::lastActive)).orElse(null);
            if (oldest == null) {
                break;
            }
            list.remove(oldest);
        }
        put(r.name(), new ServiceState(list, s.completedJobs(), s.rollout(), s.restartGeneration()));
    }

    public synchronized void outcome(String service, String specHash, String outcome) {
        update(service, specHash, x -> outcome.equals(x.outcome()) ? x : x.withOutcome(outcome));
    }

    /** Notes that the revision became the one the service runs, {@code at} that time. */
    public synchronized void deployed(String service, String specHash, Instant at) {
        update(service, specHash, x -> x.deployed(at));
    }

    private void update(String service, String specHash, java.util.function.UnaryOperator<RevisionRecord> f) {
        ServiceState s = state(service);
        List<RevisionRecord> list = new ArrayList<>();
        boolean changed = false;
        for (RevisionRecord x : s.revisions()) {
            RevisionRecord y = x.specHash().equals(specHash) ? f.apply(x) : x;
            changed |= !y.equals(x);
            list.add(y);
        }
        if (changed) {
            put(service, new ServiceState(list, s.completedJobs(), s.rollout(), s.restartGeneration()));
        }
    }

    public synchronized RolloutRecord rollout(String service) {
        return state(service).rollout();
    }

    public synchronized void rollout(String service, RolloutRecord r) {
        ServiceState s = state(service);
        if (!java.util.Objects.equals(s.rollout(), r)) {
            put(service, new ServiceState(s.revisions(), s.completedJobs(), r, s.restartGeneration()));
        }
    }

    /** Bumped by a rolling restart; part of the spec hash once non-zero, so it makes a new revision. */
    public synchronized int restartGeneration(String service) {
        return state(service).restartGeneration();
    }

    public synchronized void bumpRestartGeneration(String service) {
        ServiceState s = state(service);
        put(service, new ServiceState(s.revisions(), s.completedJobs(), s.rollout(), s.restartGeneration() + 1));
    }

    private void put(String service, ServiceState next) {
        services.put(service, next);
        save(service, next);
    }

    public synchronized Set<String> completedJobs(String service) {
        return Set.copyOf(state(service).completedJobs());
    }

    public synchronized void markCompleted(String service, String jobKey) {
        ServiceState s = state(service);
        if (s.completedJobs().contains(jobKey)) {
            return;
        }
        Set<String> done = new TreeSet<>(s.completedJobs());
        done.add(jobKey);
        put(service, new ServiceState(s.revisions(), done, s.rollout(), s.restartGeneration()));
    }
}
