package dev.berth.manifest;

import dev.berth.desired.Dependency;
import dev.berth.desired.DesiredState;
import dev.berth.desired.NetworkSpec;
import dev.berth.desired.PortSpec;
import dev.berth.desired.ServiceSpec;
import dev.berth.desired.VolumeMount;
import dev.berth.desired.VolumeSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Puts the files' declarations together and checks what spans files: unique names, references
 * to networks, volumes and services that exist, no dependency cycles, no host port taken twice.
 * A problem is charged to the file that holds the offending declaration (for a duplicate, the
 * later file in path order), so that file alone falls back to its last good version.
 */
public final class Assembler {
    private Assembler() {}

    /** Problems keyed by file; empty when the files fit together. */
    public static Map<String, List<Problem>> crossCheck(Map<String, ManifestFile> files) {
        return crossCheck(files, ReservedPorts.NONE);
    }

    /** As {@link #crossCheck(Map)}, and no service may publish a port Berth itself listens on. */
    public static Map<String, List<Problem>> crossCheck(Map<String, ManifestFile> files, ReservedPorts reserved) {
        Map<String, List<Problem>> problems = new TreeMap<>();
        Map<String, String> owner = new HashMap<>();
        Map<String, Declaration> services = new LinkedHashMap<>();
        Set<String> networks = new HashSet<>();
        Set<String> volumes = new HashSet<>();
        for (ManifestFile f : new TreeMap<>(files).values()) {
            for (Declaration d : f.declarations()) {
                String first = owner.putIfAbsent(d.kind() + "/" + d.name(), f.file());
                if (first != null) {
                    add(problems, d.problem("/metadata/name", d.kind() + " '" + d.name() + "' is already declared in " + first));
                } else if (d.spec() instanceof ServiceSpec) {
                    services.put(d.name(), d);
                } else if (d.spec() instanceof NetworkSpec) {
                    networks.add(d.name());
                } else if (d.spec() instanceof VolumeSpec) {
                    volumes.add(d.name());
                }
            }
        }
        Map<String, String> hostPorts = new HashMap<>();
        for (Declaration d : services.values()) {
            ServiceSpec s = (ServiceSpec) d.spec();
            for (int i = 0; i < s.networks().size(); i++) {
                String n = s.networks().get(i);
                if (!networks.contains(n) && !DesiredState.DEFAULT_NETWORK.equals(n)) {
                    add(problems, d.problem("/spec/networks/" + i, "network '" + n
                            + "' is not declared by any manifest (kind: Network)"));
                }
            }
            for (int i = 0; i < s.volumes().size(); i++) {
                VolumeMount v = s.volumes().get(i);
                if (v.isNamed() && !volumes.contains(v.volume())) {
                    add(problems, d.problem("/spec/volumes/" + i + "/name", "volume '" + v.volume()
                            + "' is not declared by any manifest (kind: Volume)"));
                }
            }
            for (int i = 0; i < s.dependsOn().size(); i++) {
                Dependency dep = s.dependsOn().get(i);
                ServiceSpec other = services.containsKey(dep.service()) ? (ServiceSpec) services.get(dep.service()).spec() : null;
                String why = other == null ? "service '" + dep.service() + "' is not declared by any manifest"
                        : conditionMisfit(dep, other);
                if (why != null) {
                    add(problems, d.problem("/spec/dependsOn/" + i, why));
                }
            }
            if (s.hasHostPorts() && s.replicas() > 1) {
                add(problems, d.problem("/spec/replicas", "a service with ports in mode: host runs one replica "
                        + "(use the default mode: proxy to run more)"));
            }
            for (int i = 0; i < s.ports().size(); i++) {
                PortSpec p = s.ports().get(i);
                if (reserved.owner(p.port()) != null) {
                    add(problems, d.problem("/spec/ports/" + i + "/port", "host port " + p.port() + " is "
                            + reserved.owner(p.port()) + "; choose another"));
                    continue;
                }
                String other = hostPorts.putIfAbsent(p.port() + "/" + p.transport(), s.name());
                if (other != null) {
                    add(problems, d.problem("/spec/ports/" + i + "/port", "host port " + p.port()
                            + " is already published by service '" + other + "'"));
                }
            }
        }
        Map<String, ServiceSpec> specs = new LinkedHashMap<>();
        services.forEach((k, v) -> specs.put(k, (ServiceSpec) v.spec()));
        cycles(specs).forEach((member, cycle) ->
                add(problems, services.get(member).problem("/spec/dependsOn", "dependency cycle: " + cycle)));
        return problems;
    }

    /**
     * Null when {@code other} can ever meet the condition: a job is never probed, so it is never
     * healthy; a service that is kept running never completes.
     */
    static String conditionMisfit(Dependency dep, ServiceSpec other) {
        if (dep.condition() == Dependency.Condition.HEALTHY && other.isJob()) {
            return "service '" + dep.service() + "' is a job (restart: " + other.restart().word()
                    + "): a job is never probed, so it is never healthy; use condition: completed";
        }
        if (dep.condition() == Dependency.Condition.COMPLETED && !other.isJob()) {
            return "service '" + dep.service() + "' is kept running (restart: always), so it never completes; "
                    + "condition completed is for jobs (restart: on-failure or no)";
        }
        return null;
    }

    /**
     * Every service on a dependsOn cycle, with the cycle as people read it ({@code a → b → a}),
     * found by depth-first search (white/grey/black). Each member is charged, so every file
     * that takes part is refused in one round, not one file per round with a confusing trail
     * of "not declared" problems after it.
     */
    static Map<String, String> cycles(Map<String, ServiceSpec> services) {
        Map<String, Integer> color = new HashMap<>();
        Map<String, String> onCycle = new LinkedHashMap<>();
        for (String s : services.keySet()) {
            visit(s, services, color, new ArrayList<>(), onCycle);
        }
        return onCycle;
    }

    private static void visit(String s, Map<String, ServiceSpec> services, Map<String, Integer> color, List<String> path,
            Map<String, String> onCycle) {
        Integer c = color.get(s);
        if (c != null) {
            if (c == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(s), path.size()));
                cycle.add(s);
                String shown = String.join(" \u2192 ", cycle);
                cycle.forEach(m -> onCycle.putIfAbsent(m, shown));
            }
            return;
        }
        color.put(s, 1);
        path.add(s);
        ServiceSpec spec = services.get(s);
        if (spec != null) {
            for (Dependency d : spec.dependsOn()) {
                visit(d.service(), services, color, path, onCycle);
            }
        }
        path.remove(path.size() - 1);
        color.put(s, 2);
    }

    public static DesiredState build(Map<String, ManifestFile> files, Set<String> held) {
        Map<String, ServiceSpec> services = new TreeMap<>();
        Map<String, NetworkSpec> networks = new TreeMap<>();
        Map<String, VolumeSpec> volumes = new TreeMap<>();
        Map<String, String> hashes = new TreeMap<>();
        for (ManifestFile f : files.values()) {
            for (Declaration d : f.declarations()) {
                if (d.spec() instanceof ServiceSpec s) {
                    services.put(s.name(), s);
                    hashes.put(s.name(), d.hash());
                } else if (d.spec() instanceof NetworkSpec n) {
                    networks.put(n.name(), n);
                } else if (d.spec() instanceof VolumeSpec v) {
                    volumes.put(v.name(), v);
                }
            }
        }
        return new DesiredState(services, networks, volumes, held, hashes);
    }

    private static void add(Map<String, List<Problem>> problems, Problem p) {
        problems.computeIfAbsent(p.file(), k -> new ArrayList<>()).add(p);
    }
}
