package dev.berth.manifest;

/**
 * Where a value of a translated document came from: the file and line it was written on and its
 * field as the user wrote it ({@code services.web.ports[0]}). A document translated from another
 * format (a Compose file) carries one per value, so problems name what the user wrote, not the
 * Berth field it became.
 */
public record Origin(String file, int line, String field) {}
