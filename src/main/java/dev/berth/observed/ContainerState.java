package dev.berth.observed;

/** Docker's container states, folded into what the planner needs to tell apart. */
public enum ContainerState {
    CREATED, RUNNING, PAUSED, RESTARTING, EXITED, DEAD, REMOVING;

    public static ContainerState parse(String s) {
        try {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        } catch (RuntimeException e) {
            return DEAD;
        }
    }

    public boolean isUp() {
        return this == RUNNING || this == RESTARTING;
    }
}
