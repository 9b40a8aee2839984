package dev.berth.api;

import dev.berth.manifest.ManifestFile;
import dev.berth.manifest.ManifestHash;
import dev.berth.manifest.Problem;
import dev.berth.manifest.Trial;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A push or a removal of one manifest file, decided and carried out under the area's one write
 * lock: read the file, check the client's precondition against its hash, check the change as
 * the loader would ({@link Trial}), write. Holding the lock from the read to the write is what
 * keeps two conditional writes from both passing against the same version (a lost update).
 * Knows nothing of HTTP; {@link ManifestsResource} turns outcomes into answers.
 */
final class ManifestWrites {
    /** The loader's trial ({@link dev.berth.manifest.ManifestLoader#trial}). */
    interface Trials {
        Trial trial(String source, byte[] content) throws IOException;
    }

    sealed interface Outcome {}

    /** Written (or already so): {@code created} when there was no such file. */
    record Written(boolean created, String hash, ManifestFile file, boolean changed) implements Outcome {}

    record Removed() implements Outcome {}

    /** The loader would refuse the change: 422 with these problems. */
    record Invalid(List<Problem> problems) implements Outcome {}

    /** Not done, with the HTTP status that says why (400 path, 404 none, 409 empty directory, 412 precondition). */
    record Refused(int status, String message) implements Outcome {}

    private final ManifestArea area;
    private final Trials trials;

    ManifestWrites(ManifestArea area, Trials trials) {
        this.area = area;
        this.trials = trials;
    }

    Outcome put(ManifestPath p, byte[] content, String ifMatch, String ifNoneMatch) throws IOException {
        area.writes().lock();
        try {
            Optional<byte[]> current = area.read(p);
            String refusal = Preconditions.refusal(ifMatch, ifNoneMatch, current.map(ManifestHash::ofBytes).orElse(null));
            if (refusal != null) {
                return new Refused(412, refusal);
            }
            Trial trial = trials.trial(area.source(p), content);
            if (!trial.accepted()) {
                return new Invalid(trial.problems());
            }
            // The same bytes again: nothing to write, and no change for the watcher to see.
            boolean changed = current.isEmpty() || !Arrays.equals(current.get(), content);
            if (changed) {
                area.write(p, content);
            }
            return new Written(current.isEmpty(), ManifestHash.ofBytes(content), trial.file(), changed);
        } catch (ManifestPath.Invalid e) {
            return new Refused(400, e.getMessage());
        } finally {
            area.writes().unlock();
        }
    }

    /**
     * @param mayEmpty whether the directory may be left declaring nothing (berth.allow-empty, or no
     *                 container of Berth's exists), asked only when it would be
     */
    Outcome delete(ManifestPath p, String ifMatch, BooleanSupplier mayEmpty) throws IOException {
        area.writes().lock();
        try {
            Optional<byte[]> current = area.read(p);
            if (current.isEmpty()) {
                return new Refused(404, "no manifest file '" + p + "'");
            }
            String refusal = Preconditions.refusal(ifMatch, null, ManifestHash.ofBytes(current.get()));
            if (refusal != null) {
                return new Refused(412, refusal);
            }
            Trial trial = trials.trial(area.source(p), null);
            if (!trial.accepted()) {
                return new Invalid(trial.problems());
            }
            if (trial.declaresNothing() && !mayEmpty.getAsBoolean()) {
                return new Refused(409, "removing " + p + " would leave the manifests directory declaring no "
                        + "services while Berth's containers exist, and Berth refuses to act on such a directory; "
                        + "set berth.allow-empty=true (BERTH_ALLOW_EMPTY) to allow it");
            }
            area.delete(p);
            return new Removed();
        } catch (ManifestPath.Invalid e) {
            return new Refused(400, e.getMessage());
        } finally {
            area.writes().unlock();
        }
    }
}
