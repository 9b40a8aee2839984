package dev.berth.manifest;

/**
 * Why a manifest was rejected: which file (relative to the manifests directory), which line
 * (1-based; 0 when the whole file or directory is meant), which field (dotted path such as
 * {@code spec.ports[0].port}, empty when none) and the reason, in words a person understands.
 */
public record Problem(String file, int line, String field, String message) {

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(file);
        if (line > 0) {
            b.append(':').append(line);
        }
        if (field != null && !field.isEmpty()) {
            b.append(": ").append(field);
        }
        return b.append(": ").append(message).toString();
    }
}
