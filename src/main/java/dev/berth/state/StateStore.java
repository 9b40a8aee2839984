package dev.berth.state;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import dev.berth.files.AtomicFiles;
import dev.berth.desired.ResolvedService;
import org.jboss.logging.Logger;
import dev.berth.rollout.RolloutRecord;

/**
 * Berth's own memory in the state directory: per service the revisions it has given out (with
 * what a rollback needs), the rollout in progress, the job runs that completed and the crash
 * restart counts of its replicas, plus a random salt for secret digests. Everything else is read
 * back from the engine's labels. Writes are atomic and forced to disk ({@link AtomicFiles}). A
 * lost state directory costs the history and the salt: services with secrets then get a new spec
 * hash and are replaced once.
 *
 * <p>Each service's file is the truth and the memory only a cache of it: every call looks at the
 * file's modification time, size and inode, and reads it again when someone else changed it. A
 * file that cannot be read or parsed makes every call for that service throw
 * {@link StateUnreadable} (reads and writes alike: the file is never overwritten or deleted),
 * while every other service works as before. Fixing or deleting the file recovers at the next
 * call; a deleted file reads as a service Berth has no memory of (adopted from labels).
 */
public final class StateStore {
    private static final Logger LOG = Logger.getLogger(StateStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .enable(SerializationFeature.INDENT_OUTPUT).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String SUFFIX = ".json";

    /**
     * Serialized form of one service's file. Fields missing in older files read as empty.
     *
     * @param restarts consecutive crash restarts by replica key ({@link dev.berth.plan.Planner#replicaKey})
     */
    public record ServiceState(List<RevisionRecord> revisions, Set<String> completedJobs, RolloutRecord rollout,
            int restartGeneration, Map<String, Integer> restarts) {
        public ServiceState {
            revisions = revisions == null ? List.of() : List.copyOf(revisions);
            completedJobs = completedJobs == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(completedJobs));
            restarts = restarts == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(restarts));
        }

        static ServiceState empty() {
            return new ServiceState(List.of(), Set.of(), null, 0, Map.of());
        }

        ServiceState withRevisions(List<RevisionRecord> r) {
            return new ServiceState(r, completedJobs, rollout, restartGeneration, restarts);
        }

        ServiceState withCompletedJobs(Set<String> c) {
            return new ServiceState(revisions, c, rollout, restartGeneration, restarts);
        }

        ServiceState withRollout(RolloutRecord r) {
            return new ServiceState(revisions, completedJobs, r, restartGeneration, restarts);
        }

        ServiceState withRestartGeneration(int g) {
            return new ServiceState(revisions, completedJobs, rollout, g, restarts);
        }

        ServiceState withRestarts(Map<String, Integer> r) {
            return new ServiceState(revisions, completedJobs, rollout, restartGeneration, r);
        }
    }

    /** What the file looked like when it was last read or written; null fields: there was no file. */
    private record Stamp(FileTime modified, long size, Object inode) {
        static final Stamp ABSENT = new Stamp(null, -1, null);
    }

    /** A service's state as cached, with the stamp of the file it came from. */
    private record Cached(ServiceState state, Stamp stamp) {}

    private final Path dir;
    private final Map<String, Cached> services = new HashMap<>();
    /** Services whose file was checked since {@link #beginPass}: a pass stats each file once, not on every read. */
    private final java.util.Set<String> checked = new java.util.HashSet<>();
    private final byte[] salt;
    /** Room the write check asks for: more than a service file takes, so a nearly full disk is not "writable". */
    static final int WRITE_CHECK_BYTES = 64 * 1024;
    /**
     * Changes held back by {@link #hold} for the holding thread, to be written together by
     * {@link #commit}; null when nothing holds. Guarded by this.
     */
    private Map<String, ServiceState> held;
    private Thread holder;
    /** The last failed write's reason, until a write succeeds; see {@link #writeProblem()}. */
    private volatile String writeProblem;

    public StateStore(Path dir) {
        this.dir = dir;
        try {
            AtomicFiles.createDirectories(servicesDir());
            int stale = AtomicFiles.removeTempFiles(dir) + AtomicFiles.removeTempFiles(servicesDir());
            if (stale > 0) {
                LOG.infof("removed %d temporary file(s) an interrupted write left in %s", stale, dir);
            }
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

    private Path servicesDir() {
        return dir.resolve("services");
    }

    /** The path of a service's state file (whether or not it exists). */
    public Path file(String service) {
        return servicesDir().resolve(service + SUFFIX);
    }

    /**
     * A pass begins: each service's file is checked again (once) for changes made outside Berth,
     * which the pass then sees; reads in between answer from what was checked.
     */
    public synchronized void beginPass() {
        checked.clear();
    }

    /**
     * The service's state as the file held it when last checked ({@link #beginPass}).
     *
     * @throws StateUnreadable if the file exists but cannot be read or parsed
     */
    private synchronized ServiceState state(String service) {
        Cached c = services.get(service);
        if (c != null && checked.contains(service)) {
            return c.state();
        }
        Path p = file(service);
        Stamp now = stamp(service, p);
        checked.add(service);
        if (c != null && c.stamp().equals(now)) {
            return c.state();
        }
        services.remove(service);
        ServiceState s = now == Stamp.ABSENT ? ServiceState.empty() : read(service, p);
        if (c != null) {
            LOG.infof("service=%s state file %s changed outside Berth; read it again", service, p);
            if (held != null && held.remove(service) != null) {
                LOG.warnf("service=%s a change not yet written is dropped: the file changed outside Berth", service);
            }
        }
        services.put(service, new Cached(s, now));
        return s;
    }

    /**
     * The state a change starts from, its file checked now whatever the pass checked: a change
     * never overwrites a file edited or broken behind Berth's back.
     */
    private ServiceState forChange(String service) {
        checked.remove(service);
        return state(service);
    }

    /** The stamp, or null when the file cannot be looked at (a commit then leaves it alone, as an edit). */
    private static Stamp stampOrNull(String service, Path p) {
        try {
            return stamp(service, p);
        } catch (StateUnreadable e) {
            return null;
        }
    }

    private static Stamp stamp(String service, Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                throw new StateUnreadable(service, p, "not a regular file", null);
            }
            return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
        } catch (NoSuchFileException e) {
            return Stamp.ABSENT;
        } catch (IOException e) {
            throw new StateUnreadable(service, p, describe(e), e);
        }
    }

    private static ServiceState read(String service, Path p) {
        ServiceState s;
        try {
            s = JSON.readValue(p.toFile(), ServiceState.class);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new StateUnreadable(service, p, e.getOriginalMessage() + where, e);
        } catch (IOException e) {
            throw new StateUnreadable(service, p, describe(e), e);
        } catch (RuntimeException e) {
            throw new StateUnreadable(service, p, "invalid content: " + e.getMessage(), e);
        }
        if (s == null) {
            throw new StateUnreadable(service, p, "the file holds no state object", null);
        }
        for (RevisionRecord r : s.revisions()) {
            if (r == null || r.specHash() == null || r.revision() <= 0) {
                throw new StateUnreadable(service, p, "a revision record without spec hash or number", null);
            }
        }
        return s;
    }

    private static String describe(IOException e) {
        String kind = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e.getClass().getSimpleName();
        return e.getMessage() == null ? kind : kind + ": " + e.getMessage();
    }

    /**
     * From now until {@link #commit}, changes made by the calling thread are kept in memory (every
     * read sees them) and written together at the commit: one pass that records 200 new services
     * forces the disk a few hundred times less. Changes made by other threads meanwhile are
     * written at once, as always, with what is held for that service. The holder must commit
     * before it acts on what it changed (an engine call that counts on a revision record).
     */
    public synchronized void hold() {
        if (held == null) {
            held = new LinkedHashMap<>();
        }
        holder = Thread.currentThread();
    }

    /**
     * Writes what {@link #hold} kept back, each file atomically, and ends the hold. A file changed
     * outside Berth since its change was decided is not overwritten (the change is dropped, as if
     * the edit came after it). On failure nothing held is kept in memory either: reads go back to
     * the files, which hold the old or the new state, never a torn one.
     *
     * @throws UncheckedIOException when the files cannot be written
     */
    public synchronized void commit() {
        Map<String, ServiceState> writing = held;
        held = null;
        holder = null;
        if (writing == null || writing.isEmpty()) {
            return;
        }
        Map<Path, byte[]> contents = new LinkedHashMap<>();
        for (var e : writing.entrySet()) {
            Cached c = services.get(e.getKey());
            Path p = file(e.getKey());
            if (c == null || !c.stamp().equals(stampOrNull(e.getKey(), p))) {
                LOG.warnf("service=%s a change not yet written is dropped: %s changed outside Berth", e.getKey(), p);
                services.remove(e.getKey());
                continue;
            }
            try {
                contents.put(p, JSON.writeValueAsBytes(e.getValue()));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("cannot serialise the state of " + e.getKey(), ex);
            }
        }
        try {
            AtomicFiles.writeAll(contents, "rw-------");
        } catch (IOException e) {
            writing.keySet().forEach(services::remove);
            writing.keySet().forEach(checked::remove);
            writeProblem = "cannot write the state of " + writing.size() + " service(s) to " + servicesDir() + ": "
                    + describe(e);
            LOG.errorf("%s (each file is old or new, never torn; the pass is retried)", writeProblem);
            throw new UncheckedIOException("cannot write state to " + servicesDir(), e);
        }
        writeProblem = null;
        for (String service : writing.keySet()) {
            Cached c = services.get(service);
            if (c != null) {
                services.put(service, new Cached(c.state(), stamp(service, file(service))));
            }
        }
    }

    private void save(String service, ServiceState s) {
        if (held != null && holder == Thread.currentThread()) {
            // The stamp stays the file's as it is on disk, so reads keep answering from memory.
            Cached was = services.get(service);
            services.put(service, new Cached(s, was == null ? stamp(service, file(service)) : was.stamp()));
            held.put(service, s);
            return;
        }
        if (held != null) {
            held.remove(service); // written now, with what was held for it
        }
        Path p = file(service);
        try {
            AtomicFiles.write(p, JSON.writeValueAsBytes(s), "rw-------");
        } catch (IOException e) {
            // Whatever reached the disk is the truth: read it again next time.
            services.remove(service);
            checked.remove(service);
            writeProblem = "cannot write state of " + service + " to " + p + ": " + describe(e);
            LOG.errorf("%s (the old file is intact; the pass is retried)", writeProblem);
            throw new UncheckedIOException("cannot write state of " + service + " to " + p, e);
        }
        writeProblem = null;
        services.put(service, new Cached(s, stamp(service, p)));
    }

    /**
     * Why the state directory cannot be written (disk full, read-only, permissions), or empty when
     * it can. Set by a failed write; while set, each call tries a write of its own
     * ({@code services/write-check}, 64 KiB) and clears it when that succeeds, so the answer recovers by itself when
     * space returns even before a pass writes again. Cheap when nothing failed.
     */
    public synchronized Optional<String> writeProblem() {
        if (writeProblem == null) {
            return Optional.empty();
        }
        try {
            AtomicFiles.write(servicesDir().resolve("write-check"), new byte[WRITE_CHECK_BYTES], "rw-------");
            LOG.infof("state directory %s is writable again", dir);
            writeProblem = null;
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(writeProblem);
        }
    }

    /**
     * The services whose state file can be read now, sorted. Files that cannot be read are left
     * out (see {@link #unreadable()}), as are temp files and anything not named {@code <service>.json}.
     */
    public synchronized List<String> services() {
        List<String> out = new ArrayList<>();
        for (String name : names()) {
            try {
                state(name);
                out.add(name);
            } catch (StateUnreadable e) {
                // reported by unreadable()
            }
        }
        return out;
    }

    /** The services whose state file exists but cannot be read now, by name, with why. */
    public synchronized Map<String, StateUnreadable> unreadable() {
        Map<String, StateUnreadable> out = new TreeMap<>();
        for (String name : names()) {
            try {
                state(name);
            } catch (StateUnreadable e) {
                out.put(name, e);
            }
        }
        return out;
    }

    /** Why the service's state file cannot be read now, or empty if it can (or does not exist). */
    public synchronized Optional<StateUnreadable> problem(String service) {
        try {
            state(service);
            return Optional.empty();
        } catch (StateUnreadable e) {
            return Optional.of(e);
        }
    }

    private List<String> names() {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(servicesDir(), "*" + SUFFIX)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".")) {
                    out.add(name.substring(0, name.length() - SUFFIX.length()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + servicesDir(), e);
        }
        out.sort(null);
        return out;
    }

    /** @throws StateUnreadable (this and every other per-service call) if the service's file cannot be read */
    public synchronized List<RevisionRecord> revisions(String service) {
        return state(service).revisions();
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
        ServiceState s = forChange(service);
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
        if (state(r.name()).revisions().stream().anyMatch(x -> x.specHash().equals(r.specHash()))) {
            update(r.name(), r.specHash(), x -> x.withHealthcheck(r.spec().healthcheck()));
            return;
        }
        ServiceState s = forChange(r.name());
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
        put(r.name(), s.withRevisions(list));
    }

    public synchronized void outcome(String service, String specHash, String outcome) {
        update(service, specHash, x -> outcome.equals(x.outcome()) ? x : x.withOutcome(outcome));
    }

    /** Notes that the revision became the one the service runs, {@code at} that time. */
    public synchronized void deployed(String service, String specHash, Instant at) {
        update(service, specHash, x -> x.deployed(at));
    }

    private void update(String service, String specHash, java.util.function.UnaryOperator<RevisionRecord> f) {
        if (updated(state(service), specHash, f) == null) {
            return;
        }
        ServiceState s = forChange(service);
        List<RevisionRecord> list = updated(s, specHash, f);
        if (list != null) {
            put(service, s.withRevisions(list));
        }
    }

    /** The revisions with {@code f} applied to {@code specHash}'s, or null when that changes nothing. */
    private static List<RevisionRecord> updated(ServiceState s, String specHash,
            java.util.function.UnaryOperator<RevisionRecord> f) {
        List<RevisionRecord> list = new ArrayList<>();
        boolean changed = false;
        for (RevisionRecord x : s.revisions()) {
            RevisionRecord y = x.specHash().equals(specHash) ? f.apply(x) : x;
            changed |= !y.equals(x);
            list.add(y);
        }
        return changed ? list : null;
    }

    public synchronized RolloutRecord rollout(String service) {
        return state(service).rollout();
    }

    public synchronized void rollout(String service, RolloutRecord r) {
        if (java.util.Objects.equals(state(service).rollout(), r)) {
            return; // as the pass read it: nothing to write (a file changed since is read next pass)
        }
        ServiceState s = forChange(service);
        if (!java.util.Objects.equals(s.rollout(), r)) {
            put(service, s.withRollout(r));
        }
    }

    /** Bumped by a rolling restart; part of the spec hash once non-zero, so it makes a new revision. */
    public synchronized int restartGeneration(String service) {
        return state(service).restartGeneration();
    }

    public synchronized void bumpRestartGeneration(String service) {
        ServiceState s = forChange(service);
        put(service, s.withRestartGeneration(s.restartGeneration() + 1));
    }

    private void put(String service, ServiceState next) {
        save(service, next);
    }

    public synchronized Set<String> completedJobs(String service) {
        return state(service).completedJobs();
    }

    public synchronized void markCompleted(String service, String jobKey) {
        if (state(service).completedJobs().contains(jobKey)) {
            return;
        }
        ServiceState s = forChange(service);
        if (s.completedJobs().contains(jobKey)) {
            return;
        }
        Set<String> done = new TreeSet<>(s.completedJobs());
        done.add(jobKey);
        put(service, s.withCompletedJobs(done));
    }

    /** Consecutive crash restarts of one replica ({@link dev.berth.plan.Planner#replicaKey}); 0 if none. */
    public synchronized int restarts(String service, String replicaKey) {
        return state(service).restarts().getOrDefault(replicaKey, 0);
    }

    /** Every replica's consecutive crash restarts for the service, by replica key. */
    public synchronized Map<String, Integer> restarts(String service) {
        return state(service).restarts();
    }

    /**
     * Notes that the replica was restarted for the {@code n}th time in a row (0 or less forgets
     * it). Idempotent: writes only when the count changes.
     */
    public synchronized void restarted(String service, String replicaKey, int n) {
        Integer known = state(service).restarts().get(replicaKey);
        if (n <= 0 ? known == null : Integer.valueOf(n).equals(known)) {
            return;
        }
        ServiceState s = forChange(service);
        Integer before = s.restarts().get(replicaKey);
        if (n <= 0 ? before == null : Integer.valueOf(n).equals(before)) {
            return;
        }
        Map<String, Integer> next = new TreeMap<>(s.restarts());
        if (n <= 0) {
            next.remove(replicaKey);
        } else {
            next.put(replicaKey, n);
        }
        put(service, s.withRestarts(next));
    }

    /**
     * Forgets the restart counts of the service's replicas whose key is not in {@code live} (the
     * keys of the containers that exist). Writes only when something is forgotten.
     */
    public synchronized void pruneRestarts(String service, Set<String> live) {
        if (live.containsAll(state(service).restarts().keySet())) {
            return;
        }
        ServiceState s = forChange(service);
        if (live.containsAll(s.restarts().keySet())) {
            return;
        }
        Map<String, Integer> next = new TreeMap<>(s.restarts());
        next.keySet().retainAll(live);
        put(service, s.withRestarts(next));
    }

    /**
     * {@link #pruneRestarts(String, Set)} for every service with a readable state file, also those
     * no manifest declares any more; services whose file cannot be read are skipped.
     *
     * @param live the replica keys of every container that exists, of any service
     */
    public synchronized void pruneRestarts(Set<String> live) {
        for (String service : services()) {
            pruneRestarts(service, live);
        }
    }
}
