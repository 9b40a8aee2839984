package dev.berth.desired;

/** Limits; zero means unlimited. */
public record Resources(long memoryBytes, long nanoCpus) {
    public static final Resources NONE = new Resources(0, 0);
}
