package dev.berth.desired;

/** Compose's {@code restart} values. Anything but {@code always} makes the service a one-shot job. */
public enum RestartPolicy {
    ALWAYS("always"),
    ON_FAILURE("on-failure"),
    NO("no");

    private final String word;

    RestartPolicy(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    public static RestartPolicy parse(String s) {
        for (RestartPolicy p : values()) {
            if (p.word.equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown restart policy " + s);
    }
}
