package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.APP_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Berth as shipped, split in two processes (role proxy: the data plane; role control: the rest),
 * under steady load through a proxied port: the control plane is stopped with SIGTERM and started
 * anew, then killed with SIGKILL and started anew, then rolls a new version out. Not one request
 * fails, and the running replicas never leave the proxy. A table of update policies: the common
 * one, a single replica, and stop-first with a percentage of unavailable replicas.
 *
 * <p>{@code -Dberth.it.role=all} runs the same scenario against the single process of role all
 * (no member watch there): it fails, which is what the split is for.
 */
class SplitRestartIT extends EngineTestBase {
    static final String TOKEN = "split-it-token";
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    final boolean single = "all".equals(System.getProperty("berth.it.role"));
    Process proxy;
    Process control;
    int api;
    int admin;
    int proxyHttp;

    Process launch(String role, int httpPort, String log) throws Exception {
        ProcessBuilder pb = PackagedDaemon.command(List.of())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve(log).toFile()));
        var env = pb.environment();
        env.put("BERTH_ROLE", role);
        env.put("BERTH_MANIFESTS_DIR", manifests.toString());
        env.put("BERTH_STATE_DIR", state.toString());
        env.put("BERTH_SECRETS_DIR", secrets.toString());
        env.put("BERTH_PROJECT", project);
        env.put("BERTH_PUBLISH_ADDRESS", "127.0.0.1");
        env.put("BERTH_DEBOUNCE", "200ms");
        env.put("BERTH_RESYNC_INTERVAL", "2s");
        env.put("BERTH_API_TOKEN", TOKEN);
        env.put("BERTH_PROXY_ADMIN_PORT", Integer.toString(admin));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        return pb.start();
    }

    Process launchControl() throws Exception {
        return launch(single ? "all" : "control", api, "control.log");
    }

    JsonNode get(int port, String path, String auth) {
        try {
            var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5));
            if (auth != null) {
                b.header("Authorization", "Bearer " + auth);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? new ObjectMapper().readTree(r.body()) : null;
        } catch (Exception e) {
            return null; // not up (yet)
        }
    }

    void awaitRevisionAvailable(int revision) {
        await().atMost(EVENTUALLY).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode s = get(api, "/api/v1/services/web", TOKEN);
            return s != null && s.get("revision").asInt() == revision && s.get("phase").asText().equals("Available");
        });
    }

    void awaitReady(int port) {
        await().atMost(EVENTUALLY).pollInterval(Duration.ofMillis(200)).until(() -> get(port, "/q/health/ready", null) != null);
    }

    /** The members of web in the data plane now, or null when it cannot be asked. */
    Set<String> members() {
        try {
            String token = Files.readString(state.resolve("proxy").resolve("admin-token")).strip();
            JsonNode routes = get(admin, "/routes", token);
            if (routes == null) {
                return null;
            }
            Set<String> out = new HashSet<>();
            for (JsonNode r : routes) {
                if (r.get("service").asText().equals("web")) {
                    r.get("members").forEach(m -> out.add(m.get("containerId").asText()));
                }
            }
            return out;
        } catch (Exception e) {
            return null;
        }
    }

    /** Samples the data plane's members of web every 50 ms until stopped. */
    final class MemberWatch implements AutoCloseable {
        final List<Set<String>> samples = new CopyOnWriteArrayList<>();
        volatile boolean running = true;
        final Thread thread = new Thread(() -> {
            while (running) {
                Set<String> m = members();
                if (m != null) {
                    samples.add(m);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "member-watch");

        MemberWatch() {
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process p : new Process[] {control, proxy}) {
            if (p != null) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Stops the control plane (SIGTERM, or SIGKILL when {@code kill}), keeps it down a while, starts it again. */
    void restartControl(boolean kill) throws Exception {
        if (kill) {
            control.destroyForcibly();
        } else {
            control.destroy();
        }
        assertThat(control.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(2000); // down for a while, under load
        control = launchControl();
        awaitReady(api);
        Thread.sleep(3000); // several passes and probe rounds of the new control plane
    }

    /** {@code policy}: the manifest's maxSurge, maxUnavailable, drainSeconds (and order). */
    record Policy(String name, int replicas, String policy) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Policy> policies() {
        return Stream.of(
                new Policy("2 replicas, maxSurge 1, maxUnavailable 0", 2, "maxSurge: 1, maxUnavailable: 0, drainSeconds: 10"),
                new Policy("1 replica, maxSurge 1", 1, "maxSurge: 1, maxUnavailable: 0, drainSeconds: 10"),
                new Policy("2 replicas, stop-first, maxUnavailable 50%", 2,
                        "order: stop-first, maxSurge: 0, maxUnavailable: \"50%\", drainSeconds: 2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void restartsAndACrashOfTheControlPlaneDropNoRequestAndKeepTheReplicasInTheProxy(Policy policy) throws Exception {
        api = freePort();
        admin = freePort();
        proxyHttp = freePort();
        int port = freePort();
        write("web.yaml", proxiedWeb(APP_V1, port, policy.replicas(), policy.policy(), "", ""));
        if (!single) {
            proxy = launch("proxy", proxyHttp, "proxy.log");
            awaitReady(proxyHttp);
        }
        control = launchControl();
        awaitRevisionAvailable(1);
        await().atMost(EVENTUALLY).until(() -> single || (members() != null && members().size() == policy.replicas()));
        Set<String> serving = single ? Set.of() : members();

        try (Load load = new Load(port, "/", 4); MemberWatch watch = single ? null : new MemberWatch()) {
            await().atMost(EVENTUALLY).until(() -> load.count("v1") > 50);

            restartControl(false);
            restartControl(true);
            if (watch != null) {
                // Across both restarts the data plane kept serving exactly the replicas it had.
                assertThat(watch.samples).isNotEmpty().allSatisfy(m -> assertThat(m).isEqualTo(serving));
            }
            // The restarted control plane sees them ready (seeded, not STARTING): web stays Available.
            JsonNode s = get(api, "/api/v1/services/web", TOKEN);
            assertThat(s).isNotNull();
            assertThat(s.get("phase").asText()).isEqualTo("Available");

            write("web.yaml", proxiedWeb(APP_V2, port, policy.replicas(), policy.policy(), "", ""));
            awaitRevisionAvailable(2);
            await().atMost(EVENTUALLY).until(() -> load.count("v2") > 50);
            if (watch != null) {
                assertThat(watch.samples).allSatisfy(m -> assertThat(m).isNotEmpty());
            }
            long ok = load.ok.get();
            load.close();
            assertThat(load.failures).as("failed requests of %d", ok + load.failures.size()).isEmpty();
            assertThat(ok).isGreaterThan(200);
        }
    }
}
