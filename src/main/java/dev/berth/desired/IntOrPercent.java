package dev.berth.desired;

/**
 * Kubernetes' IntOrString for maxSurge and maxUnavailable: a count or a percentage of the
 * desired replicas. Percentages round up for surge and down for unavailable, as Kubernetes does.
 */
public record IntOrPercent(int value, boolean percent) {

    public static IntOrPercent parse(String s) {
        String t = s.trim();
        if (t.endsWith("%")) {
            return new IntOrPercent(Integer.parseInt(t.substring(0, t.length() - 1).trim()), true);
        }
        return new IntOrPercent(Integer.parseInt(t), false);
    }

    /** Worked example: 25% of 10 replicas is 2.5 → 3 when rounding up (surge), 2 when down (unavailable). */
    public int resolve(int replicas, boolean roundUp) {
        if (!percent) {
            return value;
        }
        long scaled = (long) value * replicas;
        return (int) (roundUp ? (scaled + 99) / 100 : scaled / 100);
    }

    @Override
    public String toString() {
        return percent ? value + "%" : Integer.toString(value);
    }
}
