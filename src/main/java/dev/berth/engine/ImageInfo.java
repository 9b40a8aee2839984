package dev.berth.engine;

import java.util.List;

/** A local image: its content id and the registry digests it is known by ({@code repo@sha256:…}). */
public record ImageInfo(String id, List<String> repoDigests) {
    public ImageInfo {
        repoDigests = List.copyOf(repoDigests);
    }
}
