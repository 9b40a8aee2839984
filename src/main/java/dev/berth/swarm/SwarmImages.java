package dev.berth.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.desired.PullPolicy;
import dev.berth.desired.ServiceSpec;
import dev.berth.engine.Labels;
import dev.berth.swarm.SwarmView.LiveService;
import java.util.function.UnaryOperator;

/**
 * The image reference every node pulls for a service: pinned to the registry's digest, as
 * {@code docker service create} pins it.
 */
public final class SwarmImages {
    private SwarmImages() {}

    /**
     * The live (or previous) spec's reference for the same image is kept: a moved tag is followed
     * only on the periodic resync ({@code fresh}) with {@code pullPolicy: Always}, and a registry
     * that fails or hangs then changes nothing (a failed lookup must not roll every service to an
     * unpinned spec). An image no registry knows stays as written (only nodes that have it can
     * run it) and is looked up again only on the periodic resync.
     *
     * @param digest the registry's digest of an image reference, or null when none answers
     */
    public static String ref(ServiceSpec s, LiveService live, boolean fresh, UnaryOperator<String> digest) {
        if (s.image().contains("@")) {
            return s.image();
        }
        String kept = kept(s.image(), live);
        boolean lookUp = kept == null || (fresh && (s.pullPolicy() == PullPolicy.ALWAYS || kept.equals(s.image())));
        if (!lookUp) {
            return kept;
        }
        String d = digest.apply(s.image());
        if (d != null) {
            return s.image() + "@" + d;
        }
        return kept != null ? kept : s.image();
    }

    /** The reference the live or previous spec runs for {@code image} (as the manifest names it), or null. */
    static String kept(String image, LiveService live) {
        if (live == null) {
            return null;
        }
        for (JsonNode spec : new JsonNode[] {live.spec(), live.previous()}) {
            if (spec != null && image.equals(spec.path("Labels").path(Labels.IMAGE).asText())) {
                String ref = spec.path("TaskTemplate").path("ContainerSpec").path("Image").asText("");
                if (ref.equals(image) || ref.startsWith(image + "@")) {
                    return ref;
                }
            }
        }
        return null;
    }
}
