package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** Where a followed rollout stands, judged from one service status (docs/cli.md#waiting). */
enum Verdict {
    /** The daemon has not loaded the pushed manifest yet, or the rollout is still going. */
    PENDING,
    /** Available, or Completed for a job. */
    SUCCEEDED,
    /** Failed, RolledBack or Paused. */
    FAILED;

    /**
     * @param expectedHash the PUT answer's {@code manifestHash} for this service; null to judge the phase alone
     */
    static Verdict of(JsonNode status, String expectedHash) {
        if (expectedHash != null && !expectedHash.equals(Json.text(status, "manifestHash"))) {
            return PENDING;
        }
        return switch (String.valueOf(Json.text(status, "phase"))) {
            case "Available", "Completed" -> SUCCEEDED;
            case "Failed", "RolledBack", "Paused" -> FAILED;
            default -> PENDING;
        };
    }

    /** The reason a person reads: the status message, and the last error when it adds something. */
    static String reason(JsonNode status) {
        String message = Json.text(status, "message");
        String error = Json.text(status, "lastError");
        if (error != null && (message == null || !message.contains(error))) {
            return message == null ? error : message + " (last error: " + error + ")";
        }
        return message == null ? "" : message;
    }
}
