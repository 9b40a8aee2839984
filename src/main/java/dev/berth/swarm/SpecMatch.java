package dev.berth.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a service's live spec still says what Berth declared: every field Berth set has the
 * same value in the live spec (as {@code kubectl apply} compares what it applied, not the whole
 * object). Fields Swarm fills in itself ({@code ForceUpdate}, {@code Runtime},
 * {@code Isolation}, defaults of its own) are not Berth's and do not count; an unset value
 * (null, empty object or list, empty text, 0, false) matches an absent one, because Swarm drops
 * empty values when it stores a spec. Lists are compared element by element, in order.
 *
 * <p>So a field changed by hand ({@code docker service update --image …}, {@code --replicas},
 * {@code --env-add} of a key Berth sets, a label) is drift, and so is an element added to or
 * removed from a list Berth set; a field Berth never sets (a constraint added to a service
 * without {@code placement}) is not seen.
 */
public final class SpecMatch {
    private SpecMatch() {}

    /** The first field whose live value differs from the declared one, as a path, or empty when none does. */
    public static Optional<String> firstDifference(JsonNode declared, JsonNode live) {
        return firstDifference(declared, live, Set.of());
    }

    /**
     * As {@link #firstDifference(JsonNode, JsonNode)}, not looking at {@code ignored} fields (paths
     * without list indices, as {@link #field} gives them): fields the manager does not keep.
     */
    public static Optional<String> firstDifference(JsonNode declared, JsonNode live, Set<String> ignored) {
        return diff("", declared, live, ignored);
    }

    /** A difference's field without list indices: {@code TaskTemplate.Networks.Target}. */
    public static String field(String path) {
        return path.replaceAll("\\[\\d+]", "");
    }

    private static Optional<String> diff(String path, JsonNode want, JsonNode have, Set<String> ignored) {
        if (!path.isEmpty() && ignored.contains(field(path))) {
            return Optional.empty();
        }
        if (want == null || want.isNull() || want.isMissingNode()) {
            return Optional.empty(); // not Berth's: anything may be there
        }
        if (unset(want)) {
            // Berth's "nothing" (0, "", false, {} or []): absent or equally empty matches, a set value does not.
            return unset(have) ? Optional.empty() : Optional.of(path);
        }
        if (want.isObject()) {
            if (have.isMissingNode() || have.isNull()) {
                have = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(); // name the leaf that is missing
            } else if (!have.isObject()) {
                return Optional.of(path);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                Optional<String> d = diff(join(path, f.getKey()), f.getValue(), have.path(f.getKey()), ignored);
                if (d.isPresent()) {
                    return d;
                }
            }
            return Optional.empty();
        }
        if (want.isArray()) {
            if (!have.isArray() || have.size() != want.size()) {
                return Optional.of(path);
            }
            for (int i = 0; i < want.size(); i++) {
                Optional<String> d = diff(path + "[" + i + "]", want.get(i), have.get(i), ignored);
                if (d.isPresent()) {
                    return d;
                }
            }
            return Optional.empty();
        }
        if (want.isNumber() && have.isNumber()) {
            return want.decimalValue().compareTo(have.decimalValue()) == 0 ? Optional.empty() : Optional.of(path);
        }
        return want.equals(have) ? Optional.empty() : Optional.of(path);
    }

    static boolean unset(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return true;
        }
        if (n.isContainerNode()) {
            return n.isEmpty();
        }
        if (n.isTextual()) {
            return n.asText().isEmpty();
        }
        if (n.isNumber()) {
            return n.decimalValue().signum() == 0;
        }
        if (n.isBoolean()) {
            return !n.asBoolean();
        }
        return false;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
