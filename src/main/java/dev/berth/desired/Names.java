package dev.berth.desired;

import java.util.random.RandomGenerator;

/**
 * Engine names of the objects Berth creates: containers
 * {@code <project>-<service>-r<revision>-<ordinal>-<suffix>}, networks and volumes
 * {@code <project>_<name>}.
 *
 * <p>Each container incarnation gets a fresh random suffix (as a Kubernetes pod does), so a
 * replacement can be created while its predecessor still drains and stops: no create ever
 * collides with a name in use. Names are for people only; Berth reads a container's identity
 * (service, revision, spec hash, ordinal) from its labels, never from its name. Containers made
 * before suffixes existed carry the bare {@link #replica} name and are adopted as they are.
 */
public final class Names {
    /** Lower-case letters and digits without vowels and look-alikes (Kubernetes' alphabet): no words, no 0/o, 1/l. */
    static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    static final int SUFFIX_LENGTH = 5;

    private Names() {}

    /** {@code <project>-<service>-r<revision>-<ordinal>}: the readable part every incarnation of a replica shares. */
    public static String replica(String project, String service, int revision, int ordinal) {
        return project + "-" + service + "-r" + revision + "-" + ordinal;
    }

    /** The name of one incarnation: {@link #replica} plus {@code -suffix}. */
    public static String container(String project, String service, int revision, int ordinal, String suffix) {
        return replica(project, service, revision, ordinal) + "-" + suffix;
    }

    /** A fresh suffix: 5 characters of {@link #ALPHABET} (27^5 ≈ 14 million per replica name). */
    public static String suffix(RandomGenerator random) {
        StringBuilder sb = new StringBuilder(SUFFIX_LENGTH);
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    public static String network(String project, String name) {
        return project + "_" + name;
    }

    public static String volume(String project, String name) {
        return project + "_" + name;
    }
}
