package dev.berth.manifest;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the human quantities of manifests: durations, memory sizes, CPU counts. */
public final class Quantities {
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");
    private static final Pattern MEMORY = Pattern.compile("^([0-9]+(?:\\.[0-9]+)?)\\s*(|k|K|Ki|M|Mi|G|Gi|T|Ti|b|B|m|g|kb|KB|mb|MB|gb|GB)$");

    private static final BigDecimal MAX_DURATION_MILLIS = BigDecimal.valueOf(365L * 24 * 3600 * 1000);
    private static final BigDecimal MAX_CPUS = BigDecimal.valueOf(1 << 20);

    private Quantities() {}

    /** {@code 1m30s}, {@code 500ms}, {@code 2h}. */
    public static Duration duration(String s) {
        Matcher m = DURATION_PART.matcher(s);
        int end = 0;
        BigDecimal millis = BigDecimal.ZERO;
        while (m.find() && m.start() == end) {
            BigDecimal n = new BigDecimal(m.group(1));
            long unit = switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                default -> 3_600_000;
            };
            millis = millis.add(n.multiply(BigDecimal.valueOf(unit)));
            end = m.end();
        }
        if (end != s.length() || end == 0) {
            throw new IllegalArgumentException("'" + s + "' is not a duration such as 10s, 1m30s or 500ms");
        }
        if (millis.compareTo(MAX_DURATION_MILLIS) > 0) {
            throw new IllegalArgumentException("'" + s + "' is longer than a year; durations in manifests are shorter");
        }
        return Duration.ofMillis(millis.longValue());
    }

    /**
     * Memory in bytes. Kubernetes suffixes (Ki, Mi, Gi binary; k, M, G decimal) and Compose's
     * (lower-case m and g, binary, as Docker reads them) are both accepted.
     */
    public static long memory(String s) {
        Matcher m = MEMORY.matcher(s.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a memory size such as 256Mi, 1Gi or 512M");
        }
        BigDecimal n = new BigDecimal(m.group(1));
        long mult = switch (m.group(2)) {
            case "", "b", "B" -> 1L;
            case "k", "K" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "T" -> 1_000_000_000_000L;
            case "Ki", "kb", "KB" -> 1L << 10;
            case "Mi", "m", "mb", "MB" -> 1L << 20;
            case "Gi", "g", "gb", "GB" -> 1L << 30;
            case "Ti" -> 1L << 40;
            default -> throw new IllegalArgumentException("unknown unit " + m.group(2));
        };
        try {
            return n.multiply(BigDecimal.valueOf(mult)).toBigInteger().longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + s + "' is more memory than any host has");
        }
    }

    /** CPUs as Docker's NanoCPUs: {@code 0.5} or {@code "500m"} → 500000000. */
    public static long nanoCpus(String s) {
        String t = s.trim();
        try {
            BigDecimal cpus = t.endsWith("m")
                    ? new BigDecimal(t.substring(0, t.length() - 1)).movePointLeft(3)
                    : new BigDecimal(t);
            if (cpus.signum() <= 0) {
                throw new IllegalArgumentException("'" + s + "' must be more than 0 CPUs");
            }
            // Compared before any conversion: 1e999999999 would take minutes to turn into digits.
            if (cpus.compareTo(MAX_CPUS) > 0) {
                throw new IllegalArgumentException("'" + s + "' is more CPUs than any host has");
            }
            return cpus.movePointRight(9).longValue();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a CPU count such as 0.5 or 500m");
        }
    }
}
