package dev.berth.observed;

/**
 * A network on the engine. {@code managed} is false for one that only shares a name with ours.
 * {@code driver}: as the engine reports it ({@code bridge}, {@code macvlan}, …).
 */
public record ObservedNetwork(String id, String name, String logicalName, boolean managed, int containers,
        String driver) {

    /** A bridge network (tests). */
    public ObservedNetwork(String id, String name, String logicalName, boolean managed, int containers) {
        this(id, name, logicalName, managed, containers, "bridge");
    }
}
