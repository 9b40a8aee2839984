package dev.berth.desired;

import java.util.List;

/**
 * Security settings Berth gives every container it creates; a manifest cannot change them.
 *
 * <p>{@code noNewPrivileges}: setuid binaries and file capabilities cannot raise a process's
 * privileges ({@code --security-opt no-new-privileges}). {@code capabilities}: the container gets
 * exactly these (all others dropped), the Kubernetes Pod Security Standards "baseline" list. It
 * is Docker's default set without {@code NET_RAW}, so raw and packet sockets (ping, ARP and DNS
 * spoofing on the bridge network) are gone and everything else ordinary images do still works.
 * Naming the list instead of dropping only {@code NET_RAW} keeps it the same whatever an engine's
 * own default set is.
 *
 * <p>Not part of the revision hash: these are the same for every revision of a Berth build, so an
 * upgrade that changes them must not replace every container or run every job again; containers
 * get them when they are next created.
 */
public record Hardening(boolean noNewPrivileges, List<String> capabilities) {

    /** Pod Security Standards, baseline profile, "Capabilities" control: the allowed additions. */
    public static final List<String> BASELINE_CAPABILITIES = List.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
            "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");

    public static final Hardening DEFAULT = new Hardening(true, BASELINE_CAPABILITIES);

    public Hardening {
        capabilities = List.copyOf(capabilities);
    }
}
