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

/**
 * Berth's own memory in the state directory: per service the revisions it has given out and
 * the job runs that completed, plus a random salt for secret digests. Everything else is read
 * back from the engine's labels. Writes are atomic. A lost state directory costs the history and
 * the salt: services with secrets then get a new spec hash and are replaced once.
 */
public final class StateStore {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .enable(SerializationFeature.INDENT_OUTPUT).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** Serialized form of one service's file. */
    public record ServiceState(List<RevisionRecord> revisions, Set<String> completedJobs) {}

    static final int KEEP_REVISIONS = 20;

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
            return new ServiceState(new ArrayList<>(), new TreeSet<>());
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
    public synchronized RevisionRecord revisionFor(String service, String specHash, String image, String digest,
            Map<String, Integer> seen) {
        ServiceState s = state(service);
        Optional<RevisionRecord> known = revision(service, specHash);
        if (known.isPresent()) {
            return known.get();
        }
        int number = seen.getOrDefault(specHash, 0);
        if (number == 0) {
            int max = s.revisions().stream().mapToInt(RevisionRecord::revision).max().orElse(0);
            max = Math.max(max, seen.values().stream().mapToInt(Integer::intValue).max().orElse(0));
            number = max + 1;
        }
        RevisionRecord r = new RevisionRecord(number, specHash, image, digest, Instant.now());
        List<RevisionRecord> list = new ArrayList<>(s.revisions());
        list.add(r);
        // Bounded until revisionHistoryLimit arrives with rollbacks; numbering continues from the newest kept.
        if (list.size() > KEEP_REVISIONS) {
            list = new ArrayList<>(list.subList(list.size() - KEEP_REVISIONS, list.size()));
        }
        ServiceState next = new ServiceState(list, s.completedJobs());
        services.put(service, next);
        save(service, next);
        return r;
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
        ServiceState next = new ServiceState(s.revisions(), done);
        services.put(service, next);
        save(service, next);
    }
}
