package dev.berth.cli;

/**
 * The daemon a command talks to.
 *
 * @param server      base URL without a trailing slash, e.g. {@code http://127.0.0.1:7070}
 * @param token       the API token, or null when none was found
 * @param tokenSource where the token came from, in words (for the 401 message); null without a token
 */
record Target(String server, String token, String tokenSource) {}
