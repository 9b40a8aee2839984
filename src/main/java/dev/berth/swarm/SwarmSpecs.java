package dev.berth.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.Labels;
import dev.berth.engine.SwarmApi;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A {@link SwarmTarget} as the {@link DeclaredService} the planner compares with what Swarm has:
 * the spec as the JSON the Engine API receives, with what only the manager knows filled in (the
 * IDs of networks, secrets and configs, which Swarm stores in place of names, so a spec naming
 * them would differ from its stored self for ever), and the hash of its task template.
 */
public final class SwarmSpecs {
    private SwarmSpecs() {}

    /**
     * @param networkIds by Swarm network name ({@code <project>_<net>})
     * @param objectIds  secret and config object IDs by object name
     */
    public static DeclaredService declare(SwarmTarget target, Map<String, String> networkIds,
            Map<String, String> objectIds) {
        ObjectNode spec = SwarmApi.JSON.valueToTree(SwarmService.of(target));
        dropNulls(spec);
        // docker-java also writes ServiceModeConfig.getMode() as "mode", which the engine ignores and never stores.
        spec.withObject("/Mode").remove("mode");
        ObjectNode task = spec.withObject("/TaskTemplate");
        for (JsonNode n : task.path("Networks")) {
            String id = networkIds.get(n.path("Target").asText());
            if (id == null) {
                throw new IllegalArgumentException("network " + n.path("Target").asText() + " has no ID yet");
            }
            ((ObjectNode) n).put("Target", id);
        }
        fillIds(task.path("ContainerSpec").path("Secrets"), "SecretName", "SecretID", objectIds);
        fillIds(task.path("ContainerSpec").path("Configs"), "ConfigName", "ConfigID", objectIds);
        ObjectNode labels = spec.withObject("/Labels");
        ObjectNode containerLabels = spec.withObject("/TaskTemplate/ContainerSpec/Labels");
        for (ObjectNode l : List.of(labels, containerLabels)) {
            l.remove(Labels.REVISION);
            l.remove(Labels.SPEC_HASH);
        }
        String hash = hash(task);
        labels.put(Labels.SPEC_HASH, hash);
        containerLabels.put(Labels.SPEC_HASH, hash);
        var update = target.service().spec().update();
        boolean rollback = !target.service().spec().isJob()
                && update.failureAction() == dev.berth.desired.UpdatePolicy.FailureAction.ROLLBACK;
        return new DeclaredService(target.service().name(), spec, hash, rollback ? update.progressDeadline() : null,
                target.service().spec().dependsOn());
    }

    private static void fillIds(JsonNode refs, String nameKey, String idKey, Map<String, String> ids) {
        for (JsonNode r : refs) {
            String id = ids.get(r.path(nameKey).asText());
            if (id == null) {
                throw new IllegalArgumentException(nameKey + " " + r.path(nameKey).asText() + " has no ID yet");
            }
            ((ObjectNode) r).put(idKey, id);
        }
    }

    /** docker-java's mapper writes unset fields as null; the stored spec has none of them. */
    static void dropNulls(JsonNode n) {
        if (n.isObject()) {
            List<String> nulls = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getValue().isNull()) {
                    nulls.add(f.getKey());
                } else {
                    dropNulls(f.getValue());
                }
            }
            ((ObjectNode) n).remove(nulls);
        } else if (n.isArray()) {
            n.forEach(SwarmSpecs::dropNulls);
        }
    }

    static String hash(JsonNode taskTemplate) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(taskTemplate.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
