package dev.berth.app;

import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * The JIT setting against the role. A control plane alone runs well on the quick compiler only
 * ({@code -XX:TieredStopAtLevel=1}: smaller, about 40 MiB less resident with 200 services, and
 * it starts sooner; the systemd unit of {@code berth.role=control} sets it), but a process that
 * serves the proxy loses about half its throughput with it (docs/benchmarks.md, "Sixth step").
 * Such a process says so once at start, rather than be slow without a word.
 */
final class CompilerCheck {
    private CompilerCheck() {}

    /** A warning when a process that serves the proxy stops its JIT below the optimizing compiler. */
    static Optional<String> warning(Role role, int tieredStopAtLevel) {
        if (role == Role.CONTROL || tieredStopAtLevel >= 4) {
            return Optional.empty();
        }
        return Optional.of("this process serves the proxy (berth.role=" + role.name().toLowerCase(java.util.Locale.ROOT)
                + ") with the JIT stopped at level " + tieredStopAtLevel + " (-XX:TieredStopAtLevel): the proxy "
                + "runs at about half its throughput; leave that option to a berth.role=control process "
                + "(under systemd: JAVA_JIT_OPTS= in /etc/berth/berth.env with BERTH_ROLE=all)");
    }

    /** This JVM's {@code TieredStopAtLevel}, or 4 (the optimizing compiler) when it cannot be read. */
    static int tieredStopAtLevel() {
        try {
            var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return hotspot == null ? 4 : Integer.parseInt(hotspot.getVMOption("TieredStopAtLevel").getValue());
        } catch (RuntimeException e) {
            return 4;
        }
    }
}
