package dev.berth.manifest;

import java.util.List;

/** Thrown when a manifest file cannot be used; carries every problem found in it. */
public class ManifestException extends Exception {
    private final List<Problem> problems;

    public ManifestException(List<Problem> problems) {
        super(problems.isEmpty() ? "invalid manifest" : problems.get(0).toString());
        this.problems = List.copyOf(problems);
    }

    public ManifestException(Problem problem) {
        this(List.of(problem));
    }

    public List<Problem> problems() {
        return problems;
    }
}
