package dev.berth.observed;

/** A volume on the engine; {@code managed} is false for one that only shares a name with ours. */
public record ObservedVolume(String name, String logicalName, boolean managed) {}
