package dev.berth.observed;

/** A network on the engine. {@code managed} is false for one that only shares a name with ours. */
public record ObservedNetwork(String id, String name, String logicalName, boolean managed, int containers) {}
