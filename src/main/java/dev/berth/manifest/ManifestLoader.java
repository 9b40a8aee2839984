package dev.berth.manifest;

import dev.berth.desired.DesiredState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Reads the whole manifests directory on every call and keeps, per file, the last version that
 * was accepted. A file whose text and every file its parse looked at are unchanged is not
 * parsed again ({@link ParseCache}). A file
 * that is rejected is replaced by its last good version; with none, its objects are "held":
 * left as they run. Not thread-safe: the reconcile loop is its only caller.
 */
public final class ManifestLoader {
    private static final Logger LOG = Logger.getLogger(ManifestLoader.class);

    private final Path dir;
    private final ManifestParser parser;
    private final ParseCache cache;
    private final Map<String, ManifestFile> lastGood = new HashMap<>();
    private volatile DesiredState previous = DesiredState.empty();
    /** The last load's parses when it had no problem at all, else null (see {@link #unchanged}). */
    private Map<String, ManifestFile> cleanParses;
    private final Set<String> reported = new HashSet<>();

    private final Settling settling;
    /** Reads of the directory per load at most, when it keeps changing while being read. */
    static final int MAX_READS = 5;
    private final ReservedPorts reserved;
    private final ManifestTrial trial;

    public ManifestLoader(Path dir, Path secretsDir) {
        this(dir, secretsDir, java.time.Duration.ZERO);
    }

    /** @param quiet how long files must be unchanged before they are read ({@link Settling}) */
    public ManifestLoader(Path dir, Path secretsDir, java.time.Duration quiet) {
        this(dir, secretsDir, quiet, HostAccessPolicy.defaults(secretsDir), ReservedPorts.NONE);
    }

    /** @param hostAccess which host paths bind mounts may reach (Berth's configuration, never a manifest's) */
    public ManifestLoader(Path dir, Path secretsDir, java.time.Duration quiet, HostAccessPolicy hostAccess) {
        this(dir, secretsDir, quiet, hostAccess, ReservedPorts.NONE);
    }

    /** @param reserved host ports Berth itself listens on, which no service may publish */
    public ManifestLoader(Path dir, Path secretsDir, java.time.Duration quiet, HostAccessPolicy hostAccess,
            ReservedPorts reserved) {
        this(dir, secretsDir, quiet, hostAccess, reserved, System.getenv());
    }

    /** @param environment where Compose files look up {@code ${VAR}} after their {@code .env} (Berth's own, but for tests) */
    public ManifestLoader(Path dir, Path secretsDir, java.time.Duration quiet, HostAccessPolicy hostAccess,
            ReservedPorts reserved, Map<String, String> environment) {
        this.dir = dir;
        this.reserved = reserved;
        this.parser = new ManifestParser(secretsDir, dir, hostAccess, environment);
        this.cache = new ParseCache(parser, java.time.Clock.systemUTC());
        this.settling = new Settling(quiet);
        this.trial = new ManifestTrial(dir, parser, reserved);
    }

    public Path dir() {
        return dir;
    }

    /** The desired state of the last load (safe to read from any thread: an immutable snapshot). */
    public DesiredState current() {
        return previous;
    }

    /**
     * What loading the directory would give with {@code file} (relative to the directory, inside
     * it) holding {@code content}, or removed when {@code content} is null; writes nothing. Unlike
     * {@link #load} safe from any thread: it uses none of this loader's state.
     *
     * @throws IOException when the directory cannot be read
     */
    public Trial trial(String file, byte[] content) throws IOException {
        return trial.run(file, content);
    }

    public LoadResult load() {
        List<Path> paths;
        List<Problem> problems;
        Map<String, ManifestFile> parsed;
        for (int read = 1; ; read++) {
            ManifestTree tree;
            try {
                tree = quietTree();
                paths = tree.manifests();
            } catch (IOException | UncheckedIOException e) {
                String why = "manifests directory " + dir + " cannot be read (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); keeping everything as it runs";
                return new LoadResult(previous, List.of(new Problem(dir.toString(), 0, "", why)), why, 0);
            }
            // Links that leave the directory or loop: a problem for that entry, which is then held.
            problems = new ArrayList<>(tree.problems());
            parsed = new TreeMap<>();
            boolean vanished = false;
            for (Path p : paths) {
                String rel = dir.relativize(p).toString();
                try {
                    parsed.put(rel, cache.parse(rel, p, ManifestText.read(rel, p)));
                } catch (ManifestException e) {
                    problems.addAll(e.problems());
                } catch (IOException | UncheckedIOException e) {
                    IOException cause = e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
                    vanished |= cause instanceof java.nio.file.NoSuchFileException;
                    problems.add(new Problem(rel, 0, "", "cannot read file: " + IoWords.of(cause)));
                }
            }
            // A checkout that began after the quiet check (a listed file gone, or anything newer
            // than before) was read half done: read again, once it is quiet, a bounded number of times.
            // The listing walk saw every file's time; one more walk after reading tells whether any moved.
            if (read < MAX_READS && (vanished || !java.util.Objects.equals(tree.newest(), newestChange()))) {
                LOG.debugf("files under %s changed while they were read; reading them again", dir);
                continue;
            }
            break;
        }
        if (problems.isEmpty() && unchanged(parsed)) {
            // The very parses of a load that had no problem: checks and assembly are pure, so
            // they would give the same state again. The usual pass with nothing new ends here.
            return new LoadResult(previous, problems, null, paths.size());
        }
        cleanParses = null;
        Set<String> rejected = new HashSet<>();
        problems.forEach(p -> rejected.add(p.file()));
        Map<String, ManifestFile> chosen = new TreeMap<>(parsed);
        for (String file : rejected) {
            if (lastGood.containsKey(file)) {
                chosen.put(file, lastGood.get(file));
            }
        }
        // Cross-file problems send the offending file back to its last good version, which may
        // itself clash and is then dropped; each round removes a version, so this ends.
        for (int round = 0; round <= 2 * paths.size(); round++) {
            Map<String, List<Problem>> clash = Assembler.crossCheck(chosen, reserved);
            if (clash.isEmpty()) {
                break;
            }
            for (Map.Entry<String, List<Problem>> e : clash.entrySet()) {
                String file = e.getKey();
                boolean fresh = parsed.get(file) != null && chosen.get(file) == parsed.get(file);
                if (fresh) {
                    rejected.add(file);
                    problems.addAll(e.getValue());
                }
                if (fresh && lastGood.containsKey(file)) {
                    chosen.put(file, lastGood.get(file));
                } else {
                    chosen.remove(file);
                }
            }
        }
        Set<String> held = new HashSet<>();
        for (String file : rejected) {
            if (!chosen.containsKey(file)) {
                held.add(file);
            }
        }
        // Files that vanished have no problems and are simply gone.
        for (Map.Entry<String, ManifestFile> e : parsed.entrySet()) {
            if (chosen.get(e.getKey()) == e.getValue()) {
                lastGood.put(e.getKey(), e.getValue());
            }
        }
        List<String> present = paths.stream().map(p -> dir.relativize(p).toString()).toList();
        lastGood.keySet().retainAll(present);
        cache.retain(present);
        logProblems(problems);
        previous = Assembler.build(chosen, held);
        cleanParses = problems.isEmpty() ? parsed : null;
        return new LoadResult(previous, problems, null, paths.size());
    }

    /**
     * Places problems in the documents of the state {@link #load} last answered (each file's last
     * good version, which is what that state was built from). For the thread that loads.
     */
    public Locator locator() {
        return (file, kind, name, pointer, message) -> {
            ManifestFile f = lastGood.get(file);
            if (f != null) {
                for (Declaration d : f.declarations()) {
                    if (d.kind().equals(kind) && d.name().equals(name)) {
                        return d.problem(pointer, message);
                    }
                }
            }
            return Locator.NONE.at(file, kind, name, pointer, message);
        };
    }

    /** Whether {@code parsed} holds the same files as the last clean load, each the very same parse. */
    private boolean unchanged(Map<String, ManifestFile> parsed) {
        if (cleanParses == null || !cleanParses.keySet().equals(parsed.keySet())) {
            return false;
        }
        for (Map.Entry<String, ManifestFile> e : parsed.entrySet()) {
            if (cleanParses.get(e.getKey()) != e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Parses run since start, not answered from the cache (for tests and the debug log). */
    long parses() {
        return cache.parses();
    }

    /**
     * The directory's walk once no file under it changed within the quiet time (waiting on the
     * loop's thread, at most {@link Settling}'s hold), so a pass never reads a file mid-write
     * or a checkout half done, whatever started it; a checkout that adds or removes files while
     * we wait is seen whole.
     */
    private ManifestTree quietTree() throws IOException {
        while (true) {
            ManifestTree tree = ManifestTree.scan(dir);
            java.time.Instant until = settling.waitUntil(tree.newest(), java.time.Instant.now());
            if (until == null) {
                return tree;
            }
            LOG.debugf("files under %s changed a moment ago; reading them at %s", dir, until);
            try {
                Thread.sleep(Math.max(1, java.time.Duration.between(java.time.Instant.now(), until).toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return tree;
            }
        }
    }

    private void logProblems(List<Problem> problems) {
        Set<String> now = new HashSet<>();
        for (Problem p : problems) {
            String line = p.toString();
            now.add(line);
            if (!reported.contains(line)) {
                LOG.warnf("manifest rejected: %s", line);
            }
        }
        reported.clear();
        reported.addAll(now);
    }

    /** The latest change under the directory, by the same confined walk as the load itself. */
    private java.time.Instant newestChange() {
        try {
            return ManifestTree.scan(dir).newest();
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }
}
