package dev.berth.swarm;

import dev.berth.desired.DesiredState;
import dev.berth.desired.HealthCheck;
import dev.berth.desired.NetworkSpec;
import dev.berth.desired.ServiceSpec;
import dev.berth.desired.VolumeMount;
import dev.berth.desired.VolumeSpec;
import dev.berth.manifest.Locator;
import dev.berth.manifest.Problem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a valid manifest asks for that Swarm cannot do: one {@link Problem} per thing, charged to
 * the file and field that ask for it, in the manifest package's shape, so a Swarm backend can
 * refuse those files as the loader refuses bad ones instead of failing at run time. Pure: the
 * desired state in, problems out; a {@link Locator} (the loader's) places each at the line and
 * field the user wrote, a Compose key for a Compose file.
 *
 * <p>What is lost without harm ({@code drainSeconds}, the backoff's doubling, the proxy's HTTP
 * features) is not a problem; docs/swarm.md lists it.
 */
public final class SwarmCheck {
    static final String LOCAL_DRIVER = "local";

    /** Replicated jobs, and the capability lists of the container defaults. */
    public static final String JOBS_API = "1.41";

    private SwarmCheck() {}

    /** Whether a known API version is below {@code wanted} ("1.40" &lt; "1.41"); unknown: no. */
    public static boolean below(String version, String wanted) {
        int[] v = parts(version);
        int[] w = parts(wanted);
        return v != null && w != null && (v[0] != w[0] ? v[0] < w[0] : v[1] < w[1]);
    }

    private static int[] parts(String version) {
        String[] p = version == null ? new String[0] : version.strip().split("\\.");
        try {
            return p.length == 2 ? new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Without knowing the manager's API version (nothing that depends on it is checked). */
    public static List<Problem> problems(String project, DesiredState desired) {
        return problems(project, desired, "", Locator.NONE);
    }

    /**
     * @param apiVersion the Engine API version the manager speaks ("1.41"), or "" when unknown:
     *                   what needs a newer one is a problem, not a field the manager drops silently
     */
    public static List<Problem> problems(String project, DesiredState desired, String apiVersion, Locator at) {
        List<Problem> out = new ArrayList<>();
        desired.services().values().stream().sorted(Comparator.comparing(ServiceSpec::name))
                .forEach(s -> {
                    Place p = (pointer, message) -> at.at(s.source(), "Service", s.name(), pointer, message);
                    out.addAll(service(project, s, desired, p));
                    if (s.isJob() && below(apiVersion, JOBS_API)) {
                        out.add(p.at("/spec/restart", "a job (restart: " + s.restart().word() + ") is Swarm's replicated-job "
                                + "mode, which needs Engine API " + JOBS_API + " (Docker 20.10) on the manager; this one "
                                + "speaks " + apiVersion + ": upgrade the managers, or run it as a service"));
                    }
                });
        desired.networks().values().stream().sorted(Comparator.comparing(NetworkSpec::name))
                .forEach(n -> out.addAll(network(n, (pointer, message) -> at.at(n.source(), "Network", n.name(), pointer,
                        message))));
        return out;
    }

    /** A problem at a field of the document being checked. */
    @FunctionalInterface
    interface Place {
        Problem at(String pointer, String message);
    }

    static List<Problem> service(String project, ServiceSpec s, DesiredState desired, Place at) {
        List<Problem> out = new ArrayList<>();
        String name = SwarmNames.service(project, s.name());
        if (name.length() > SwarmNames.MAX_NAME) {
            out.add(at.at("/metadata/name", "the Swarm service would be named " + name + " ("
                    + name.length() + " characters); Swarm allows at most " + SwarmNames.MAX_NAME
                    + ": shorten the service name or berth.project"));
        }
        int room = SwarmNames.MAX_NAME - project.length() - SwarmNames.HASH_HEX - 2;
        if (room < 1 && !(s.secrets().isEmpty() && s.configs().isEmpty())) {
            out.add(at.at(s.secrets().isEmpty() ? "/spec/configs" : "/spec/secrets", "the project name '"
                    + project + "' leaves no room in Swarm's " + SwarmNames.MAX_NAME + " characters for the names of "
                    + "secret and config objects (<project>_<name>_<hash>); shorten berth.project"));
        }
        for (int i = 0; i < s.volumes().size(); i++) {
            VolumeMount v = s.volumes().get(i);
            if (!v.isNamed()) {
                out.add(at.at("/spec/volumes/" + i + "/source", "a bind mount of "
                        + v.hostPath() + " does not map to Swarm: its tasks run on any node and nodes do not share a "
                        + "file system; use a named volume, or a config for a file"));
            } else if (s.replicas() > 1 && !pinnedToOneNode(s) && nodeLocal(desired.volumes().get(v.volume()))) {
                out.add(at.at("/spec/volumes/" + i + "/name", "volume '" + v.volume()
                        + "' uses the local driver: on Swarm each node has its own copy, so " + s.replicas()
                        + " replicas on several nodes would not share its data; use a volume driver that shares "
                        + "data across nodes, replicas: 1, or a placement constraint on one node (node.hostname==…)"));
            }
        }
        HealthCheck hc = s.healthcheck();
        if (hc != null && hc.kind() == HealthCheck.Kind.HTTP && !SwarmHealthcheck.statusExpressible(hc.status())) {
            out.add(at.at("/spec/healthcheck/http/status", "Swarm runs the check inside the "
                    + "container with wget or curl, which pass on any 2xx or 3xx and cannot expect " + hc.status()
                    + "; drop status, or use an exec check"));
        }
        return out;
    }

    static List<Problem> network(NetworkSpec n, Place at) {
        if (OverlayNetwork.MAPPED_DRIVERS.contains(n.driver())) {
            return List.of();
        }
        return List.of(at.at("/spec/driver", "driver " + n.driver() + " does not map to Swarm: "
                + "a service's tasks run on several nodes, so its networks are overlay networks; use bridge or overlay"));
    }

    /** A constraint naming one node ({@code node.hostname==db1}, {@code node.id==…}) keeps every task on it. */
    static boolean pinnedToOneNode(ServiceSpec s) {
        return s.placement().constraints().stream().anyMatch(c -> ONE_NODE.matcher(c).matches());
    }

    private static final java.util.regex.Pattern ONE_NODE = java.util.regex.Pattern.compile("\\s*node\\.(hostname|id)\\s*==.*");

    /**
     * A local volume keeps its data on one node. One made of tmpfs has no data to share: each
     * container has its own on one host too.
     */
    private static boolean nodeLocal(VolumeSpec v) {
        String driver = v == null ? LOCAL_DRIVER : v.driver();
        boolean tmpfs = v != null && "tmpfs".equals(v.driverOpts().get("type"));
        return LOCAL_DRIVER.equals(driver) && !tmpfs;
    }
}
