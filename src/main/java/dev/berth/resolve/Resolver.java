package dev.berth.resolve;

import dev.berth.desired.ConfigMount;
import dev.berth.desired.ContainerTemplate;
import dev.berth.desired.PullPolicy;
import dev.berth.desired.SecretMount;
import dev.berth.desired.ServiceSpec;
import dev.berth.engine.DockerEngine;
import dev.berth.engine.EngineException;
import dev.berth.engine.ImageInfo;
import dev.berth.engine.ImagePins;
import dev.berth.engine.ImageRef;
import dev.berth.desired.FileMount;
import dev.berth.desired.ResolvedService;
import java.util.Collection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;
import dev.berth.files.AtomicFiles;

/**
 * Turns a spec into a {@link Resolution}: makes sure the image is on the host (by pull policy),
 * pins it, snapshots config and secret files under the files directory (so a running container
 * never sees a half-edited file, and each revision keeps its own) and hashes everything that
 * shapes a container. It does not read or write Berth's state store: what it needs from there
 * comes in as {@link ResolveInputs}, and the caller numbers and records the revision.
 */
public final class Resolver {
    private static final Logger LOG = Logger.getLogger(Resolver.class);

    private final DockerEngine engine;
    /** Rendered files, {@code <filesDir>/<service>/<spec hash>/}: written by resolve, trimmed by prune. */
    private final Path filesDir;
    private final Path secretsDir;
    private final PullGate pulls;
    /** Services whose rollback image is being pulled back: their pins are redone once it is here. */
    private final java.util.Set<String> restoring = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Spec fingerprints already pulled for, so pullPolicy: always pulls once per manifest change. */
    private final Map<String, String> pulledFor = new HashMap<>();
    /** This pass's answers of the engine about image references ({@link #beginPass}). */
    private final Map<String, java.util.Optional<ImageInfo>> looked = new java.util.concurrent.ConcurrentHashMap<>();
    private final ImagePins pins;
    /** Per service, the last spec's container shape and its fingerprint (a pure function of the spec). */
    private final Map<String, Shape> shapes = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per service, the last template and its hash: an unchanged service is not hashed again every pass. */
    private final Map<String, Hashed> hashes = new java.util.concurrent.ConcurrentHashMap<>();

    private record Shape(ServiceSpec spec, Map<String, Object> input, String fingerprint) {}

    private record Hashed(Map<String, Object> template, String hash) {}

    /**
     * @param filesDir where rendered config and secret files go (the state directory's {@code files/});
     *                 the resolver owns it
     */
    public Resolver(DockerEngine engine, Path filesDir, Path secretsDir, PullGate pulls) {
        this.engine = engine;
        this.filesDir = filesDir;
        this.secretsDir = secretsDir;
        this.pulls = pulls;
        this.pins = new ImagePins(engine);
    }

    /**
     * Resolves {@code spec}, or throws {@link ResolvePending} while its image is being pulled on
     * the service's pull worker (the pass never waits for a registry). Writes only the rendered
     * files of the resulting spec hash (idempotent: unchanged files are not rewritten).
     */
    public Resolution resolve(ServiceSpec spec, ResolveInputs inputs) throws ResolveException {
        Shape shaped = shapes.get(spec.name());
        // The loader hands the same spec object while its manifest is unchanged.
        if (shaped == null || shaped.spec() != spec) {
            Map<String, Object> input = ContainerTemplate.of(spec).hashInput();
            shaped = new Shape(spec, input, SpecHash.of(input));
            shapes.put(spec.name(), shaped);
        }
        Map<String, Object> shape = shaped.input();
        ImageInfo image = image(spec, shaped.fingerprint());
        String digest = pick(spec.image(), image);
        String imageRef = digest != null ? digest : spec.image();

        Map<String, Object> template = new TreeMap<>(shape);
        template.put("imageId", image.id());
        int generation = inputs.restartGeneration();
        if (generation > 0) {
            template.put("restartGeneration", generation);
        }

        Map<String, byte[]> configContent = new LinkedHashMap<>();
        List<Map<String, String>> configs = new ArrayList<>();
        for (ConfigMount c : spec.configs()) {
            byte[] b = read(unchanged(c.source()), "config file");
            configContent.put(c.target(), b);
            configs.add(Map.of("target", c.target(), "sha256", SpecHash.sha256(b)));
        }
        template.put("configs", configs);
        Map<String, byte[]> secretContent = new LinkedHashMap<>();
        List<Map<String, String>> secrets = new ArrayList<>();
        for (SecretMount s : spec.secrets()) {
            byte[] b = read(secretsDir.resolve(s.name()), "secret '" + s.name() + "'");
            secretContent.put(s.target(), b);
            Map<String, String> secret = new TreeMap<>(Map.of("name", s.name(), "target", s.target(),
                    "hmac", SpecHash.hmac(inputs.salt(), b)));
            if (s.customised()) {
                // Only then: revisions made before these fields existed keep their hash.
                secret.put("owner", s.uid() + ":" + s.gid() + ":" + Integer.toOctalString(s.mode()));
            }
            secrets.add(secret);
        }
        template.put("secrets", secrets);
        Hashed hashed = hashes.get(spec.name());
        if (hashed == null || !hashed.template().equals(template)) {
            hashed = new Hashed(template, SpecHash.of(template));
            hashes.put(spec.name(), hashed);
        }
        String hash = hashed.hash();

        List<FileMount> files = new ArrayList<>();
        Path base = filesDir.resolve(spec.name()).resolve(hash);
        try {
            int i = 0;
            for (ConfigMount c : spec.configs()) {
                Path p = base.resolve("configs").resolve(i++ + "-" + c.source().getFileName());
                snapshot(p, configContent.get(c.target()), "rw-r--r--");
                files.add(new FileMount(p, c.target()));
            }
            for (SecretMount s : spec.secrets()) {
                // One file per target: the same secret may be mounted twice with other owners.
                Path p = base.resolve("secrets").resolve(s.customised()
                        ? s.name() + "." + s.uid() + "." + s.gid() + "." + Integer.toOctalString(s.mode()) : s.name());
                // Owner and mode are what the container sees (Swarm's defaults: root, 0444); on
                // the host the directory is root-only whatever the file's mode.
                secretSnapshot(p, secretContent.get(s.target()), s);
                Files.setPosixFilePermissions(p.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
                files.add(new FileMount(p, s.target()));
            }
        } catch (IOException e) {
            throw new ResolveException("cannot write files for " + spec.name() + " under " + base + ": " + e.getMessage(), e);
        }
        return new Resolution(spec, imageRef, image.id(), digest, files, hash);
    }

    /**
     * Forgets the images looked up in the pass before: each pass sees the host's images afresh,
     * but asks the engine about each image once, however many services run it. Also forgets
     * what was kept of services no longer declared.
     */
    public void beginPass(java.util.Set<String> declared) {
        looked.clear();
        shapes.keySet().retainAll(declared);
        hashes.keySet().retainAll(declared);
    }

    /** The engine's answer about {@code ref}, once per pass ({@link #beginPass}). */
    private java.util.Optional<ImageInfo> lookUp(String ref) {
        java.util.Optional<ImageInfo> known = looked.get(ref);
        if (known == null) {
            known = engine.image(ref);
            looked.put(ref, known);
        }
        return known;
    }

    /**
     * @param fingerprint the hash of the spec's {@link ContainerTemplate#hashInput}: a pull is for
     *                    one shape of container
     */
    private ImageInfo image(ServiceSpec spec, String fingerprint) throws ResolveException {
        // Pull again when what shapes the containers changes, not on a scale or a probe tweak.
        try {
            var local = lookUp(spec.image());
            boolean pull = switch (spec.pullPolicy()) {
                case NEVER -> false;
                case MISSING -> local.isEmpty();
                case ALWAYS -> !fingerprint.equals(pulledFor.get(spec.name()));
            };
            if (spec.pullPolicy() == PullPolicy.NEVER && local.isEmpty()) {
                throw new ResolveException("image " + spec.image() + " is not on the host and pullPolicy is never");
            }
            if (pull) {
                pulls.await(spec.name(), spec.image(), fingerprint);
                pulledFor.put(spec.name(), fingerprint);
                local = engine.image(spec.image());
                looked.put(spec.image(), local);
            }
            return local.orElseThrow(() -> new ResolveException("image " + spec.image() + " is not on the host after pull"));
        } catch (EngineException e) {
            throw new ResolveException(e.getMessage(), e);
        }
    }

    /**
     * Makes sure the image of a kept revision that a rollback restores is on the host: by its
     * image ID (kept there by its pin, see {@link #pinHistory}), else pulled by its registry
     * digest with the usual credentials. Cheap when the image is there (one inspect).
     *
     * @return null when the image is there now; else why it cannot be had, which no retry changes
     *         (a locally built image that was never pushed has no digest to pull it by)
     * @throws ResolveException when the pull failed (registry down, credentials): retried with backoff
     */
    public String restoreImage(ResolvedService kept) throws ResolveException {
        String id = kept.imageId();
        try {
            if (id == null || engine.image(id).isPresent()) {
                if (restoring.remove(kept.name())) {
                    pins.forget(); // the image came back: its pin is made again after this pass
                }
                return null;
            }
            String digest = kept.imageDigest();
            if (digest == null) {
                return "its image " + id + " (" + kept.spec().image() + ") is no longer on the host and has no"
                        + " registry digest to pull it by (built locally and never pushed?)";
            }
            LOG.infof("service=%s revision=%d image %s is gone from the host; pulling %s", kept.name(), kept.revision(),
                    id, digest);
            // On the service's pull worker like any pull: ResolvePending until it is done.
            restoring.add(kept.name());
            pulls.await(kept.name(), digest, "restore " + kept.specHash());
            if (engine.image(id).isEmpty()) {
                return "pulled " + digest + " but the host still lacks the revision's image " + id;
            }
            pins.forget(); // the pin of the image that came back is made again after this pass
            return null;
        } catch (EngineException e) {
            throw new ResolveException("cannot restore revision " + kept.revision() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the project's image pins exactly {@code wanted} (the kept revisions' images, which the
     * caller reads from the history), unpinning all others: those trimmed from history and those
     * of removed services. No engine call while nothing changed; see {@link ImagePins}. Returns at
     * once: the pins are made on their own thread ({@link ImagePins#syncSoon}).
     */
    public void pinHistory(Collection<ImagePins.Pin> wanted) {
        pins.syncSoon(wanted);
    }

    /**
     * Deletes rendered files no container and no current revision uses any more, so retired
     * secret snapshots do not linger on disk. {@code keep} holds "service/specHash" pairs. The files
     * of the services in {@code unknownHistory} (their state file cannot be read) are all kept: a
     * rollback may need them once it is fixed.
     */
    public void prune(java.util.Set<String> keep, java.util.Set<String> unknownHistory) {
        Path root = filesDir;
        if (!Files.isDirectory(root)) {
            return;
        }
        try (var services = Files.list(root)) {
            for (Path service : services.toList()) {
                if (unknownHistory.contains(service.getFileName().toString())) {
                    continue; // its history is unknown until its state file is readable again: keep its files
                }
                try (var hashes = Files.list(service)) {
                    for (Path hash : hashes.toList()) {
                        if (!keep.contains(service.getFileName() + "/" + hash.getFileName())) {
                            deleteTree(hash);
                        }
                    }
                }
                try (var left = Files.list(service)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(service);
                    }
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot prune rendered files under %s: %s", root, e.getMessage());
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    /** The repo digest that belongs to the spec's repository, if the image came from a registry. */
    static String pick(String ref, ImageInfo image) {
        String repo = ImageRef.parse(ref).repository();
        for (String d : image.repoDigests()) {
            if (d.startsWith(repo + "@")) {
                return d;
            }
        }
        return null;
    }

    /**
     * A config source as the loader checked it: its real path, inside the manifests directory. A
     * symbolic link put on that path since then would make the copy read a file elsewhere on the
     * host, so it is refused.
     */
    private static Path unchanged(Path source) throws ResolveException {
        try {
            if (!source.toRealPath().equals(source)) {
                throw new ResolveException("config file " + source.getFileName() + " became a symbolic link (to "
                        + source.toRealPath() + ") after the manifest was checked; not read");
            }
        } catch (IOException e) {
            // missing: read() reports it
        }
        return source;
    }

    private static byte[] read(Path p, String what) throws ResolveException {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new ResolveException("cannot read " + what + " (" + p.getFileName() + "): " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Owner and mode as the container should see them. Giving a file away needs root or
     * CAP_CHOWN: without it a secret with its own uid/gid fails (the service reports it), while a
     * default one stays with Berth's user, still readable (0444) in the container.
     */
    private static void secretSnapshot(Path p, byte[] content, SecretMount s) throws IOException {
        snapshot(p, content, "rw-------");
        try {
            if (!Integer.valueOf(s.uid()).equals(Files.getAttribute(p, "unix:uid"))) {
                Files.setAttribute(p, "unix:uid", s.uid());
            }
            if (!Integer.valueOf(s.gid()).equals(Files.getAttribute(p, "unix:gid"))) {
                Files.setAttribute(p, "unix:gid", s.gid());
            }
        } catch (IOException e) {
            if (s.customised()) {
                throw new IOException("cannot give secret " + s.name() + " to uid " + s.uid() + " gid " + s.gid()
                        + " (Berth needs root or CAP_CHOWN for that): " + e.getMessage(), e);
            }
        }
        Files.setPosixFilePermissions(p, permissions(s.mode()));
    }

    static java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions(int mode) {
        var all = java.nio.file.attribute.PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE
        var out = java.util.EnumSet.noneOf(java.nio.file.attribute.PosixFilePermission.class);
        for (int bit = 0; bit < 9; bit++) {
            if ((mode & (0400 >> bit)) != 0) {
                out.add(all[bit]);
            }
        }
        return out;
    }

    private static void snapshot(Path p, byte[] content, String mode) throws IOException {
        if (Files.isRegularFile(p) && java.util.Arrays.equals(Files.readAllBytes(p), content)) {
            return;
        }
        AtomicFiles.write(p, content, mode);
    }
}
