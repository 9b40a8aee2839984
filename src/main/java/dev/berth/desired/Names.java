package dev.berth.desired;

/**
 * Engine names of the objects Berth creates, in Compose's habit: containers
 * {@code <project>-<service>-r<revision>-<ordinal>}, networks and volumes {@code <project>_<name>}.
 */
public final class Names {
    private Names() {}

    public static String container(String project, String service, int revision, int ordinal) {
        return project + "-" + service + "-r" + revision + "-" + ordinal;
    }

    public static String network(String project, String name) {
        return project + "_" + name;
    }

    public static String volume(String project, String name) {
        return project + "_" + name;
    }
}
