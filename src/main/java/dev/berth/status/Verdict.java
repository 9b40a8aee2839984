package dev.berth.status;

/**
 * The one UP/DOWN answer monitors get for a service (its health endpoint and the services
 * health group alike): UP when at least {@code minAvailable} replicas are ready, where
 * minAvailable is {@link dev.berth.plan.RolloutMath#minHealthy}.
 */
public record Verdict(boolean up, int ready, int minAvailable) {

    public static Verdict of(ServiceStatus s, int minAvailable) {
        return new Verdict(s.replicas().ready() >= minAvailable, s.replicas().ready(), minAvailable);
    }

    public String word() {
        return up ? "UP" : "DOWN";
    }
}
