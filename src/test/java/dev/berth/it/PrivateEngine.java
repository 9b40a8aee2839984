package dev.berth.it;

import com.github.dockerjava.api.DockerClient;
import dev.berth.engine.DockerClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A second Docker engine of the test's own, so a test can stop and restart an engine without
 * touching the shared one: its own socket, data root, exec root and pid file under a fresh
 * directory in /tmp (short, for the socket path), its own containerd (started by dockerd under
 * the exec root), a default bridge of its own, no iptables rules, and address pools (10.213.0.0/16)
 * that do not overlap the shared engine's. Published ports on 127.0.0.1 work through docker-proxy.
 *
 * <p>Not {@code --bridge=none}: a dockerd started with it deletes the host's {@code docker0}
 * interface (libnetwork's removeDefaultBridgeInterface), which is the shared engine's default
 * bridge, and every later {@code docker run} on the shared engine fails with "could not find
 * bridge docker0". Its own bridge ({@code bpe-<random>}, 10.214.x.1/24) is made before the first
 * start and deleted by {@link #close()}. Even so, a restart of it on its old data root (without
 * live-restore, after one with) was seen to delete {@code docker0} too, when libnetwork cleared
 * its stale default network; so after every start and at close, a {@code docker0} that was there
 * at launch and is gone now is put back as it was (the shared engine keeps using it by name).
 *
 * <p>{@link #stop()} is SIGTERM and a wait for the exit; {@link #start(boolean)} starts it again
 * on the same data, with or without {@code live-restore} (written into its own config file).
 */
final class PrivateEngine implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(60);

    final Path dir;
    final String host;
    private final String bridge;
    private final int subnet;
    /** The shared engine's docker0 address at launch ("172.17.0.1/16"), or null when it had none. */
    private String docker0;
    private Process process;

    private PrivateEngine(Path dir) {
        this.dir = dir;
        this.host = "unix://" + dir.resolve("docker.sock");
        var rnd = java.util.concurrent.ThreadLocalRandom.current();
        this.bridge = "bpe-" + Long.toString(rnd.nextLong(1L << 30, 1L << 35), 36);
        this.subnet = rnd.nextInt(1, 255);
    }

    static PrivateEngine launch(boolean liveRestore) throws IOException, InterruptedException {
        PrivateEngine e = new PrivateEngine(Files.createTempDirectory(Path.of("/tmp"), "berth-engine-"));
        e.docker0 = docker0Address();
        e.start(liveRestore);
        return e;
    }

    void start(boolean liveRestore) throws IOException, InterruptedException {
        Files.writeString(dir.resolve("daemon.json"), "{\"live-restore\": " + liveRestore + "}\n");
        if (!Files.exists(Path.of("/sys/class/net", bridge))) {
            ip("link", "add", bridge, "type", "bridge");
            ip("addr", "add", "10.214." + subnet + ".1/24", "dev", bridge);
            ip("link", "set", bridge, "up");
        }
        List<String> cmd = new ArrayList<>(List.of("dockerd", "-H", host,
                "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", dir.resolve("docker.pid").toString(),
                "--config-file", dir.resolve("daemon.json").toString(),
                "--bridge=" + bridge, "--iptables=false", "--ip-masq=false",
                "--default-address-pool", "base=10.213.0.0/16,size=24"));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile())).start();
        Instant deadline = Instant.now().plus(STARTUP);
        while (!answers()) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("private dockerd did not start; see " + dir.resolve("dockerd.log")
                        + ":\n" + tail());
            }
            Thread.sleep(200);
        }
        restoreDocker0();
    }

    private static String docker0Address() throws IOException, InterruptedException {
        if (!Files.exists(Path.of("/sys/class/net/docker0"))) {
            return null;
        }
        Process p = new ProcessBuilder("ip", "-4", "-o", "addr", "show", "dev", "docker0").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("inet (\\S+)").matcher(out);
        return m.find() ? m.group(1) : null;
    }

    private void restoreDocker0() throws IOException, InterruptedException {
        if (docker0 == null || Files.exists(Path.of("/sys/class/net/docker0"))) {
            return;
        }
        System.err.println("PrivateEngine: docker0 was deleted under the shared engine; putting it back as " + docker0);
        ip("link", "add", "docker0", "type", "bridge");
        ip("addr", "add", docker0, "dev", "docker0");
        ip("link", "set", "docker0", "up");
    }

    /** SIGTERM, then waits for dockerd to exit (as `systemctl stop docker`). */
    void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
    }

    boolean answers() {
        try (DockerClient c = client()) {
            c.pingCmd().exec();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    DockerClient client() {
        return DockerClients.client(DockerClients.config(Optional.empty(), Optional.of(host)));
    }

    /** Copies images from the shared engine into this one (docker save | docker load). */
    void load(String... images) throws IOException, InterruptedException {
        String cmd = "docker save " + String.join(" ", images) + " | docker -H " + host + " load";
        Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(cmd + " failed: " + out);
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("dockerd.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the engine (the caller removed its containers first) and deletes its directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        // dockerd bind-mounts its data root onto itself; what is still mounted below dir goes first.
        List<String> mounts = Files.readAllLines(Path.of("/proc/mounts")).stream().map(l -> l.split(" ")[1])
                .filter(m -> m.startsWith(dir.toString())).sorted(java.util.Comparator.reverseOrder()).toList();
        for (String m : mounts) {
            new ProcessBuilder("umount", "-l", m).inheritIO().start().waitFor();
        }
        new ProcessBuilder("rm", "-rf", "--one-file-system", dir.toString()).inheritIO().start().waitFor();
        if (Files.exists(Path.of("/sys/class/net", bridge))) {
            ip("link", "del", bridge);
        }
        restoreDocker0();
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
