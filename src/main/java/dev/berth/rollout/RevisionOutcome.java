package dev.berth.rollout;

import java.util.Locale;

/**
 * How a kept revision fared, as shown by {@code GET …/revisions} ({@link #text}) and stored in
 * the state file as that text. A rollback without a named revision goes to the last one that
 * {@link #ranWell}.
 */
public enum RevisionOutcome {
    COMPLETE("Complete"),
    SUPERSEDED("Superseded"),
    RESTORED("Restored by rollback"),
    FAILED("Failed");

    private final String word;

    RevisionOutcome(String word) {
        this.word = word;
    }

    /** The stored and shown text: the word, and for a failure its reason ("Failed: …"). */
    public String text(String reason) {
        return this == FAILED && reason != null ? word + ": " + reason : word;
    }

    public boolean ranWell() {
        return this != FAILED;
    }

    /** Reads a stored text (also those written before this enum existed); null for none or unknown. */
    public static RevisionOutcome parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.toLowerCase(Locale.ROOT);
        for (RevisionOutcome o : values()) {
            if (t.startsWith(o.word.toLowerCase(Locale.ROOT))) {
                return o;
            }
        }
        return null;
    }
}
