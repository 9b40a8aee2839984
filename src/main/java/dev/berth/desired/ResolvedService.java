package dev.berth.desired;

import java.util.List;

/**
 * A service spec with what only the host can tell: the image it runs (pinned to a digest when
 * the image came from a registry), the rendered config and secret files, the spec hash over
 * everything that shapes a container, and the revision number that hash was given.
 *
 * @param imageRef    what containers are created from: {@code repo@sha256:…} when known, else the spec's image
 * @param imageDigest registry digest for display, or null for a local-only image
 */
public record ResolvedService(ServiceSpec spec, String imageRef, String imageId, String imageDigest,
        List<FileMount> files, String specHash, int revision) {

    public ResolvedService {
        files = List.copyOf(files);
    }

    public String name() {
        return spec.name();
    }

    /** What shapes this revision's containers (the same fields its hash was made from). */
    public ContainerTemplate template() {
        return ContainerTemplate.of(spec);
    }
}
