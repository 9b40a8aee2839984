package dev.berth.desired;

import java.nio.file.Path;

/** A file from the manifest directory, mounted read-only; its content is part of the revision. */
public record ConfigMount(Path source, String target) {}
