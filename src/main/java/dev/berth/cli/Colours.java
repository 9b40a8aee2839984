package dev.berth.cli;

import picocli.CommandLine.Help.Ansi;

/**
 * Colour for phases and event types, only when stdout is a terminal (picocli's {@link Ansi#AUTO}:
 * never in a pipe, a file or CI logs; {@code NO_COLOR} and {@code TERM=dumb} turn it off too).
 */
final class Colours {
    private Colours() {}

    static String phase(String padded) {
        String p = padded.strip();
        String style = switch (p) {
            case "Available", "Completed", "Complete", "Normal" -> "green";
            case "Progressing", "Waiting" -> "yellow";
            case "Failed", "RolledBack", "Degraded", "Paused", "Warning" -> "red";
            default -> null;
        };
        if (style == null || !Ansi.AUTO.enabled()) {
            return padded;
        }
        // Colour the word only, so padding stays plain.
        return Ansi.AUTO.string("@|" + style + " " + p + "|@") + padded.substring(p.length());
    }

    static String column(String header, String padded) {
        return header.equals("PHASE") || header.equals("TYPE") ? phase(padded) : padded;
    }
}
