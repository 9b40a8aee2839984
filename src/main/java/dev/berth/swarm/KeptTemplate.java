package dev.berth.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.Labels;
import dev.berth.engine.SwarmApi;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * A service spec Berth sent to Swarm at one revision, kept as a Swarm config object labelled
 * {@link Labels#TEMPLATE_OF} (Swarm itself keeps one previous spec): the revision history that
 * {@code GET …/revisions} shows and {@code POST …/rollback {"revision": N}} returns to. Its state
 * lives in the Swarm, so a Berth started on another manager has the same history.
 *
 * @param data the object's content as Swarm lists it (base64 of the spec's JSON), decoded only
 *             when a rollback needs it
 */
public record KeptTemplate(String service, int revision, String hash, String image, String objectId,
        String objectName, Instant createdAt, String data) {

    /** A listed config object, if it is a kept template (else empty: a config file's object). */
    static Optional<KeptTemplate> of(JsonNode config) {
        JsonNode spec = config.path("Spec");
        JsonNode labels = spec.path("Labels");
        String service = labels.path(Labels.TEMPLATE_OF).asText("");
        int revision = SwarmView.number(labels.path(Labels.REVISION).asText(""));
        if (service.isEmpty() || revision < 1) {
            return Optional.empty();
        }
        return Optional.of(new KeptTemplate(service, revision, labels.path(Labels.SPEC_HASH).asText(""),
                labels.path(Labels.IMAGE).asText(""), config.path("ID").asText(), spec.path("Name").asText(""),
                SwarmView.time(config.path("CreatedAt")), spec.path("Data").asText("")));
    }

    /** The spec as it was sent; empty when the object holds something else (made or changed by hand). */
    public Optional<ObjectNode> spec() {
        try {
            JsonNode n = SwarmApi.JSON.readTree(Base64.getDecoder().decode(data));
            return n != null && n.path("TaskTemplate").isObject() ? Optional.of((ObjectNode) n) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
