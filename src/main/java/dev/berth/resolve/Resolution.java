package dev.berth.resolve;

import dev.berth.desired.FileMount;
import dev.berth.desired.ResolvedService;
import dev.berth.desired.ServiceSpec;
import java.util.List;

/**
 * A resolved service before it has a revision number: what the resolver can tell from the spec,
 * the host and its {@link ResolveInputs}. The number belongs to the revision history, which the
 * caller keeps: it asks the store for the number of {@link #specHash} and calls {@link #numbered}.
 */
public record Resolution(ServiceSpec spec, String imageRef, String imageId, String imageDigest, List<FileMount> files,
        String specHash) {

    public Resolution {
        files = List.copyOf(files);
    }

    public String name() {
        return spec.name();
    }

    /** This resolution as revision {@code revision} of its service. */
    public ResolvedService numbered(int revision) {
        return new ResolvedService(spec, imageRef, imageId, imageDigest, files, specHash, revision);
    }
}
