package dev.berth.proxy;

/**
 * Why a proxied HTTP request got no answer from a replica, with the status the client sees and
 * the {@code reason} tag of {@code berth_proxy_origin_failures_total}.
 */
enum OriginFailure {
    /** No response headers within {@link ProxyTimeouts#request()}. */
    TIMEOUT(504, "timeout", "the replica did not answer in time"),
    /** No replica accepted a connection (every one was tried). */
    REFUSED(502, "refused", "no replica accepted the connection"),
    /** The replica closed or reset the connection before its response headers. */
    RESET(502, "reset", "the replica closed the connection without an answer");

    final int status;
    final String tag;
    final String message;

    OriginFailure(int status, String tag, String message) {
        this.status = status;
        this.tag = tag;
        this.message = message;
    }
}
