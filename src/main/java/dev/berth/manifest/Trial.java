package dev.berth.manifest;

import dev.berth.desired.DesiredState;
import java.util.List;

/**
 * What the manifests directory would load if one file were written (or removed), found without
 * writing it ({@link ManifestLoader#trial}).
 *
 * @param file     the file's declarations as they would load; null when it is removed or has problems
 * @param problems what the change itself causes: every problem of the file, and problems of other
 *                 files that the change brings about (a duplicate name, a dependency it removes);
 *                 problems other files had before stay out. Empty: the loader would accept it.
 * @param desired  the directory's desired state with the change (files that have problems of their
 *                 own are held, as the loader holds them)
 */
public record Trial(ManifestFile file, List<Problem> problems, DesiredState desired) {
    public Trial {
        problems = List.copyOf(problems);
    }

    public boolean accepted() {
        return problems.isEmpty();
    }

    /** The directory would declare no service and hold none: the empty-directory rule applies. */
    public boolean declaresNothing() {
        return desired.services().isEmpty() && desired.heldSources().isEmpty();
    }
}
