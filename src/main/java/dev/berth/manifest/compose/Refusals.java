package dev.berth.manifest.compose;

import java.util.Map;

/**
 * Why Berth refuses a Compose service key it knows but does not honour. A key in neither this
 * table nor the supported subset is refused as unknown. docs/compose.md lists the same keys.
 */
final class Refusals {
    private Refusals() {}

    private static final String HOST = "is not allowed: it would give the container the host (see docs/compose.md); Berth never does";
    private static final String LATER = "is not supported by Berth yet (see docs/compose.md)";

    static final Map<String, String> SERVICE = Map.ofEntries(
            Map.entry("build", "is not supported: Berth runs images and never builds them; build and push the image, "
                    + "then name it in image"),
            Map.entry("privileged", HOST), Map.entry("network_mode", HOST), Map.entry("pid", HOST),
            Map.entry("ipc", HOST), Map.entry("devices", HOST), Map.entry("device_cgroup_rules", HOST),
            Map.entry("cap_add", HOST), Map.entry("security_opt", HOST), Map.entry("userns_mode", HOST),
            Map.entry("cgroup_parent", HOST), Map.entry("uts", HOST), Map.entry("sysctls", HOST),
            Map.entry("volumes_from", HOST),
            Map.entry("container_name", "is not supported: Berth names each replica's container itself "
                    + "(several replicas, and a new one beside the old during an update)"),
            Map.entry("links", "is not supported: services reach each other by name on their networks; drop links"),
            Map.entry("external_links", "is not supported: Berth touches only what it manages"),
            Map.entry("extends", LATER),
            Map.entry("hostname", LATER), Map.entry("domainname", LATER),
            Map.entry("extra_hosts", LATER), Map.entry("dns", LATER), Map.entry("dns_search", LATER),
            Map.entry("dns_opt", LATER), Map.entry("tmpfs", LATER), Map.entry("shm_size", LATER),
            Map.entry("ulimits", LATER), Map.entry("cap_drop", LATER), Map.entry("read_only", LATER),
            Map.entry("logging", LATER), Map.entry("mem_limit", "is not supported: use deploy.resources.limits.memory"),
            Map.entry("cpus", "is not supported: use deploy.resources.limits.cpus"),
            Map.entry("mem_reservation", LATER), Map.entry("cpu_shares", LATER), Map.entry("cpuset", LATER),
            Map.entry("profiles", "is not supported: Berth runs every service of the file; move optional ones to another directory"),
            Map.entry("platform", LATER), Map.entry("tty", LATER), Map.entry("stdin_open", LATER),
            Map.entry("mac_address", LATER), Map.entry("scale", "is not supported: use deploy.replicas"),
            Map.entry("develop", "is not supported: Compose Watch is a development tool"),
            Map.entry("group_add", LATER), Map.entry("oom_score_adj", LATER), Map.entry("runtime", LATER),
            Map.entry("storage_opt", LATER), Map.entry("isolation", LATER), Map.entry("annotations", LATER),
            Map.entry("attach", LATER), Map.entry("post_start", LATER), Map.entry("pre_stop", LATER));
}
