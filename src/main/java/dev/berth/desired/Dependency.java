package dev.berth.desired;

/**
 * One entry of {@code dependsOn}: this service's containers are not created until
 * {@code service} meets {@code condition} (Compose's {@code depends_on} conditions, with
 * Berth's meaning of each, see docs/manifests.md#dependson).
 */
public record Dependency(String service, Condition condition) {

    public enum Condition {
        /** A container of its current revision is running, or exited 0; or it is a job whose first replica completed. */
        STARTED("started", "to start"),
        /** A replica of its current revision is ready: its healthcheck passed (running, when it has none). */
        HEALTHY("healthy", "to be healthy"),
        /** A job whose every replica of its current revision completed (exited 0). */
        COMPLETED("completed", "to complete");

        private final String word;
        private final String waiting;

        Condition(String word, String waiting) {
            this.word = word;
            this.waiting = waiting;
        }

        /** The manifest's word: started, healthy, completed. */
        public String word() {
            return word;
        }

        /** How status says it is waited for: "to start". */
        public String waiting() {
            return waiting;
        }

        public static Condition parse(String word) {
            for (Condition c : values()) {
                if (c.word.equals(word)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("unknown condition " + word);
        }
    }

    public static Dependency started(String service) {
        return new Dependency(service, Condition.STARTED);
    }
}
