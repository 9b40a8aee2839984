package dev.berth.desired;

import java.nio.file.Path;

/** A rendered config or secret file on the host, bind-mounted read-only at {@code target}. */
public record FileMount(Path hostPath, String target) {}
