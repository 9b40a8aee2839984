package dev.berth.api;

import dev.berth.app.Berth;
import dev.berth.config.BerthConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;

/**
 * The manifests API's settings and its {@link ManifestArea}, made once. A subdirectory setting
 * that breaks the path rules does not stop the daemon: every manifests call answers 500 with the
 * reason, and the rest of the API works.
 */
@Singleton
public class ManifestsApi {
    @Inject
    BerthConfig config;

    @Inject
    Berth berth;

    private volatile ManifestArea area;

    /** The area, or an error answer: 403 when the API is switched off, 500 for a bad subdirectory setting. */
    ManifestArea area() {
        if (!config.api().manifests().enabled()) {
            throw new WebApplicationException(ApiError.response(403, "the manifests API is switched off "
                    + "(berth.api.manifests.enabled=false): the manifests directory is managed by other means"));
        }
        return areaForReading();
    }

    /** The area whether or not writes are switched on (the dry run writes nothing). */
    ManifestArea areaForReading() {
        ManifestArea a = area;
        if (a == null) {
            try {
                a = new ManifestArea(berth.settings().manifestsDir(),
                        ManifestPath.subdir(config.api().manifests().subdir().orElse("")));
            } catch (ManifestPath.Invalid e) {
                throw new WebApplicationException(ApiError.response(500, e.getMessage()));
            }
            area = a;
        }
        return a;
    }

    Berth berth() {
        return berth;
    }

    /** A path the client gave, or a 400 answer. */
    static ManifestPath path(String raw) {
        try {
            return ManifestPath.parse(raw);
        } catch (ManifestPath.Invalid e) {
            throw new WebApplicationException(ApiError.response(400, e.getMessage()));
        }
    }
}
