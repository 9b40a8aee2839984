package dev.berth.manifest;

import java.util.List;
import java.util.Map;

/**
 * Fields from Compose and Kubernetes that would give a container the host: privileged mode, the
 * host's network, PID or IPC namespace, devices, extra capabilities. The manifest format has none
 * of them, so the schema already rejects them as unknown fields; this rewrites that answer so a
 * user learns they are refused on purpose, not misspelt.
 */
final class HostAccessFields {
    private HostAccessFields() {}

    private static final String PRIVILEGED = "is not allowed: a privileged container has every capability and "
            + "every device, which is root on the host. Berth never runs one";
    private static final String NETWORK = "is not allowed: the host's network namespace (network_mode: host, "
            + "hostNetwork) lets a container bind any host port and reach loopback-only services. Berth never "
            + "joins it; publish ports with spec.ports instead";
    private static final String PID = "is not allowed: the host's PID namespace lets a container see and signal "
            + "every process on the host. Berth never joins it";
    private static final String IPC = "is not allowed: the host's IPC namespace lets a container reach other "
            + "processes' shared memory. Berth never joins it";
    private static final String DEVICES = "is not allowed: Berth passes no host devices into containers";
    private static final String CAPS = "is not allowed: Berth gives containers the Kubernetes \"baseline\" "
            + "capabilities and never more (see the manifest reference, Container defaults)";
    private static final String SECURITY = "is not allowed: Berth sets container security options itself "
            + "(no-new-privileges, baseline capabilities) and a manifest cannot loosen them";

    /** By field name under spec, in Compose's and Kubernetes' spellings. */
    static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("privileged", PRIVILEGED),
            Map.entry("network_mode", NETWORK), Map.entry("networkMode", NETWORK), Map.entry("hostNetwork", NETWORK),
            Map.entry("pid", PID), Map.entry("hostPID", PID), Map.entry("hostPid", PID),
            Map.entry("ipc", IPC), Map.entry("hostIPC", IPC), Map.entry("hostIpc", IPC),
            Map.entry("devices", DEVICES), Map.entry("device_cgroup_rules", DEVICES),
            Map.entry("cap_add", CAPS), Map.entry("capAdd", CAPS), Map.entry("capabilities", CAPS),
            Map.entry("security_opt", SECURITY), Map.entry("securityOpt", SECURITY),
            Map.entry("securityContext", SECURITY), Map.entry("userns_mode", SECURITY),
            Map.entry("usernsMode", SECURITY));

    /** The schema's problems, with "unknown field" replaced by the reason for host access fields. */
    static List<Problem> explain(List<Problem> schemaProblems) {
        return schemaProblems.stream().map(HostAccessFields::explain).toList();
    }

    private static Problem explain(Problem p) {
        if (p.field() == null || !p.field().startsWith("spec.") || !p.message().startsWith("unknown field")) {
            return p;
        }
        String reason = REASONS.get(p.field().substring("spec.".length()));
        return reason == null ? p : new Problem(p.file(), p.line(), p.field(), reason);
    }
}
