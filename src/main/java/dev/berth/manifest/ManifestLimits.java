package dev.berth.manifest;

/**
 * The bounds on what one manifest file may cost to read. Manifests are small, hand-written
 * files; these limits are far above any real one and keep a hostile or broken file (an alias
 * bomb, a generated file, a stray binary) from costing the daemon memory or time. Each limit
 * is reported as a {@link Problem} on the file, which is then held like any other bad file.
 */
public final class ManifestLimits {
    /** Largest file read, in bytes (1 MiB). Checked before the file is decoded. */
    public static final int MAX_FILE_BYTES = 1 << 20;
    /** Deepest nesting of mappings and sequences; a real manifest needs about 6. */
    public static final int MAX_DEPTH = 64;
    /** Values a file may hold once its YAML aliases are expanded (billion-laughs guard). */
    public static final int MAX_NODES = 100_000;
    /** Aliases ({@code *name}) per file. */
    public static final int MAX_ALIASES = 100;

    private ManifestLimits() {}
}
