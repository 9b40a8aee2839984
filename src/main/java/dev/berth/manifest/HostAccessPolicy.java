package dev.berth.manifest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which host paths a service may bind-mount. Berth creates containers through the Docker
 * socket, as root, so a bind mount of {@code /etc}, of the socket itself or of Berth's own state
 * would make whoever writes a manifest root on the host. A source is refused when, after its
 * symbolic links are resolved, it is, lies inside or contains a protected path (mounting
 * {@code /var} exposes {@code /var/run/docker.sock} as much as mounting the socket does), unless
 * Berth's own configuration allows it ({@code berth.allowed-host-paths}); a manifest can never
 * allow itself anything. Immutable; safe to share.
 */
public final class HostAccessPolicy {

    /** A path no bind mount may touch, with the words that say why. */
    public record Protected(Path path, String what) {}

    /** A path prefix the operator allows, to one service or (service null) to all. */
    public record Allowance(String service, Path prefix) {

        /**
         * {@code /etc/ssl/certs} (every service) or {@code traefik=/var/run/docker.sock} (one service).
         *
         * @throws IllegalArgumentException for a relative path or an empty entry
         */
        public static Allowance parse(String entry) {
            String e = entry.strip();
            int eq = e.indexOf('=');
            String service = eq > 0 ? e.substring(0, eq).strip() : null;
            String path = eq > 0 ? e.substring(eq + 1).strip() : e;
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("berth.allowed-host-paths: '" + entry
                        + "' is not an absolute path or service=/absolute/path");
            }
            return new Allowance(service, Path.of(path).normalize());
        }

        boolean covers(String svc, Path source) {
            return (service == null || service.equals(svc)) && source.startsWith(real(prefix));
        }
    }

    /** System directories of the host; `/` only counts when mounted itself (it contains everything). */
    static final List<String> SYSTEM_DIRS = List.of("/", "/etc", "/proc", "/sys", "/dev", "/boot", "/usr", "/lib",
            "/lib64", "/bin", "/sbin", "/root", "/home");

    /** Sockets and data that are root on the host by another door. */
    static final List<Protected> ENGINE = List.of(
            new Protected(Path.of("/var/run/docker.sock"), "the Docker socket"),
            new Protected(Path.of("/run/docker.sock"), "the Docker socket"),
            new Protected(Path.of("/run/containerd/containerd.sock"), "containerd's socket"),
            new Protected(Path.of("/var/lib/docker"), "the Docker engine's data (every container's files and volumes)"));

    private final List<Protected> protectedPaths;
    private final List<Allowance> allowances;

    public HostAccessPolicy(List<Protected> protectedPaths, List<Allowance> allowances) {
        this.protectedPaths = List.copyOf(protectedPaths);
        this.allowances = List.copyOf(allowances);
    }

    /**
     * The default protected paths plus Berth's own directories and engine socket.
     *
     * @param dockerSocket the engine's unix socket from {@code DOCKER_HOST}, or null for a tcp engine
     * @param allowed      {@code berth.allowed-host-paths} entries
     */
    public static HostAccessPolicy of(Path stateDir, Path secretsDir, Path dockerSocket, List<String> allowed) {
        List<Protected> p = new ArrayList<>();
        SYSTEM_DIRS.forEach(d -> p.add(new Protected(Path.of(d), d.equals("/") ? "the host's root directory"
                : "the host system directory " + d)));
        p.addAll(ENGINE);
        if (dockerSocket != null) {
            p.add(new Protected(dockerSocket, "the Docker socket (DOCKER_HOST)"));
        }
        if (stateDir != null) {
            p.add(new Protected(stateDir, "Berth's state directory (revisions, API token, secret copies)"));
        }
        if (secretsDir != null) {
            p.add(new Protected(secretsDir, "Berth's secrets directory"));
        }
        return new HostAccessPolicy(p, allowed.stream().filter(s -> !s.isBlank()).map(Allowance::parse).toList());
    }

    /** Protected defaults only, nothing allowed (tests, tools). */
    public static HostAccessPolicy defaults(Path secretsDir) {
        return of(null, secretsDir, null, List.of());
    }

    /**
     * Why {@code service} may not bind-mount {@code source}, or null when it may.
     *
     * @param source      the mount's source, its symbolic links already resolved
     * @param confinedTo  for a source relative to the manifest, the manifests directory: protected
     *                    paths that contain it do not count (the default {@code /etc/berth/manifests}
     *                    lies in {@code /etc}; the operator chose that place, and the source cannot
     *                    leave it); null for an absolute source
     */
    public String refusal(String service, Path source, Path confinedTo) {
        for (Allowance a : allowances) {
            if (a.covers(service, source)) {
                return null;
            }
        }
        Path home = confinedTo == null ? null : real(confinedTo);
        for (Protected p : protectedPaths) {
            Path prot = real(p.path());
            if (home != null && home.startsWith(prot)) {
                continue;
            }
            boolean hit = prot.getNameCount() == 0 ? source.getNameCount() == 0
                    : source.startsWith(prot) || prot.startsWith(source);
            if (hit) {
                String how = source.equals(prot) ? "is" : source.startsWith(prot) ? "lies inside" : "contains";
                return "bind mount of " + source + " is not allowed: it " + how + " " + p.what() + " ("
                        + p.path() + "), which gives a container control of the host; only Berth's own "
                        + "configuration can allow it (berth.allowed-host-paths, e.g. " + service + "=" + source + ")";
            }
        }
        return null;
    }

    /** Compared after resolving links: {@code /var/run} is a link to {@code /run} on most hosts. */
    static Path real(Path p) {
        try {
            return FileLooks.realPath(p);
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
