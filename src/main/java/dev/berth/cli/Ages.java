package dev.berth.cli;

import java.time.Duration;
import java.time.Instant;

/** kubectl's AGE column: {@code 45s}, {@code 12m}, {@code 3h}, {@code 5d}. */
final class Ages {
    private Ages() {}

    static String since(String isoInstant, Instant now) {
        if (isoInstant == null) {
            return "";
        }
        try {
            return of(Duration.between(Instant.parse(isoInstant), now));
        } catch (java.time.format.DateTimeParseException e) {
            return "";
        }
    }

    static String of(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 120 * 60) {
            return s / 60 + "m";
        }
        if (s < 48 * 3600) {
            return s / 3600 + "h";
        }
        return s / 86400 + "d";
    }
}
