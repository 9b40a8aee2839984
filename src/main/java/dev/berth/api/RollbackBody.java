package dev.berth.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.OptionalInt;

/**
 * The optional body of {@code POST …/rollback}: empty, or a JSON object {@code {"revision": N}}
 * with N a whole number of at least 1 (or null). Anything else is refused rather than guessed:
 * a typo such as {@code {"revison": 3}} or a bare {@code 3} would otherwise roll back to the
 * previous revision, which is not what was asked. Pure; throws {@link Invalid} with the reason.
 */
final class RollbackBody {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
    static final String EXAMPLE = "the body must be empty or a JSON object such as {\"revision\": 3}";

    private RollbackBody() {}

    /** A body that is not a rollback request; the message says why, for a 400 answer. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** The revision asked for, or empty for "the previous good one". */
    static OptionalInt parse(String body) throws Invalid {
        if (body == null || body.isBlank()) {
            return OptionalInt.empty();
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new Invalid(EXAMPLE + " (not JSON" + (at == null ? "" : ": line " + at.getLineNr() + ", column "
                    + at.getColumnNr()) + ")");
        }
        if (json == null || json.isMissingNode() || !json.isObject()) {
            throw new Invalid(EXAMPLE + " (got " + (json == null ? "nothing" : json.getNodeType().name().toLowerCase()) + ")");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("revision")) {
                throw new Invalid("unknown field '" + clip(name) + "'; " + EXAMPLE);
            }
        }
        JsonNode revision = json.get("revision");
        if (revision == null || revision.isNull()) {
            return OptionalInt.empty();
        }
        if (!revision.isIntegralNumber() || !revision.canConvertToInt()) {
            throw new Invalid("revision must be a whole number, got " + clip(revision.toString()));
        }
        if (revision.intValue() < 1) {
            throw new Invalid("revision must be at least 1, got " + revision.intValue());
        }
        return OptionalInt.of(revision.intValue());
    }

    /** Echoes at most 40 characters of the client's input. */
    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
