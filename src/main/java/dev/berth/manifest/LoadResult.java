package dev.berth.manifest;

import dev.berth.desired.DesiredState;
import java.util.List;

/**
 * The outcome of reading the manifests directory. When {@code refusal} is set the directory
 * could not be read as a whole and {@code desired} is the previous desired state, unchanged.
 * {@code problems} lists every rejected file, including those whose last good version runs.
 */
public record LoadResult(DesiredState desired, List<Problem> problems, String refusal, int files) {
    public LoadResult {
        problems = List.copyOf(problems);
    }
}
