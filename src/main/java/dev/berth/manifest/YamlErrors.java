package dev.berth.manifest;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * Words for a file the YAML parser refused. SnakeYAML's messages are good but carry a caret
 * drawing and positions we report anyway; Jackson's limits name its own classes. Neither
 * reaches users as is.
 */
final class YamlErrors {
    private YamlErrors() {}

    static String reason(Exception e) {
        if (e instanceof StreamConstraintsException sce) {
            String m = String.valueOf(sce.getMessage());
            if (m.startsWith("Number value length")) {
                return "not valid YAML: a number with more than 100 digits";
            }
            if (m.startsWith("Document nesting depth")) {
                return "nested more than " + ManifestLimits.MAX_DEPTH + " levels deep; manifests need far fewer";
            }
            return "not valid YAML: the file exceeds a size limit of the reader";
        }
        String raw = e.getMessage();
        if (raw == null || raw.isBlank()) {
            return "not valid YAML: the reader stopped (" + e.getClass().getSimpleName() + ")";
        }
        if (raw.contains("(TAB)")) {
            return "not valid YAML: a tab character where YAML expects indentation; indent with spaces";
        }
        if (raw.startsWith("Expected a field name")) {
            // Jackson's words for a key that is itself a mapping or list ({a, {b: c}} or ? [x]: y)
            return "not valid YAML for a manifest: a mapping or list where a key should be "
                    + "(a missing ':' or ',' in a {...} mapping?); keys are single words";
        }
        if (raw.contains("exceeds the limit") && raw.contains("code points")) {
            return "the file is larger than " + ManifestLimits.MAX_FILE_BYTES + " characters (1 MiB), the limit of a manifest file";
        }
        // SnakeYAML indents its copy of the source line and the caret under it by four spaces.
        String msg = String.join("; ", raw.lines().filter(l -> !l.startsWith("    ")).map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("in '") && !l.startsWith("at [") && !l.startsWith("^")
                        && !l.startsWith("|") && !l.startsWith("in 'reader'"))
                .limit(3).toList());
        // Whatever else the parser says, its class names stay out of the message.
        return "not valid YAML: " + msg.replaceAll("<?org\\.yaml\\.snakeyaml\\.[\\w.]*\\.(\\w+?)(Event)?\\([^)]*\\)>?", "$1")
                .replaceAll("com\\.fasterxml\\.jackson\\.[\\w.]*\\.", "");
    }
}
