package dev.berth.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.desired.BackoffPolicy;
import dev.berth.proxy.AdminToken;
import dev.berth.proxy.RemoteProxy;
import dev.berth.proxy.Route;
import dev.berth.proxy.RouteTable;
import dev.berth.testing.Ports;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data plane (role proxy) and the control plane's client of it, over a real admin channel on loopback. */
class DataPlaneTest {
    @TempDir
    Path state;
    Vertx vertx;
    Settings settings;
    int admin;
    final List<Set<String>> seeds = new ArrayList<>();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        admin = Ports.free();
        settings = new Settings(state.resolve("m"), state, state.resolve("s"), "dp", "127.0.0.1", Duration.ofSeconds(2),
                Duration.ofMillis(200), false, Optional.empty(), Duration.ofMinutes(1),
                new BackoffPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(10)))
                .withRole(Role.PROXY, new Settings.AdminAddress("127.0.0.1", admin));
    }

    @AfterEach
    void tearDown() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    RemoteProxy remote() {
        return new RemoteProxy("127.0.0.1", admin, settings.proxyDir().resolve(AdminToken.FILE), seeds::add);
    }

    static List<Route> table(int port, String... members) {
        List<Route.Member> ms = new ArrayList<>();
        for (String m : members) {
            ms.add(new Route.Member(m, Map.of(80, 40000 + m.length())));
        }
        return List.of(new Route("web", List.of(new Route.Port(port, 80, "http")), ms));
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void withNoDataPlaneNothingIsPushedAndEveryServiceSaysWhy() {
        RemoteProxy r = remote();
        assertThat(r.seed()).isFalse();
        Map<String, String> errors = r.apply(table(Ports.free(), "a"));
        assertThat(errors).containsOnlyKeys("web");
        assertThat(errors.get("web")).contains("unreachable").contains("keeps serving its last table");
        assertThat(r.unreachable()).contains("127.0.0.1:" + admin);
        assertThat(seeds).isEmpty();
    }

    @Test
    void theControlPlaneSeedsFromTheServedTableBeforeItsFirstPushAndTheTableSurvivesADataPlaneRestart() throws Exception {
        int port = Ports.free();
        RouteTable.save(settings.proxyDir().resolve(RouteTable.FILE), table(port, "kept-1", "kept-2"));
        DataPlane dp = new DataPlane(settings, vertx, new dev.berth.metrics.BerthMetrics(null));
        try {
            // The last table is served before any control plane spoke.
            assertThat(accepts(port)).isTrue();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    settings.proxyDir().resolve(AdminToken.FILE)))).isEqualTo("rw-------");

            RemoteProxy r = remote();
            // A first apply from routes computed before the seed is not pushed.
            assertThat(r.apply(table(port))).isEmpty();
            assertThat(seeds).containsExactly(Set.of("kept-1", "kept-2"));
            assertThat(RouteTable.members(r.routes())).containsExactlyInAnyOrder("kept-1", "kept-2");
            assertThat(r.unreachable()).isNull();

            List<Route> next = table(port, "kept-1", "new-3");
            assertThat(r.apply(next)).isEmpty();
            assertThat(r.routes()).isEqualTo(next);
            assertThat(r.isMember("new-3")).isTrue();
            r.drain("new-3", Duration.ofSeconds(5)).get();
            assertThat(r.isMember("new-3")).isFalse();
            assertThat(seeds).hasSize(1);
        } finally {
            dp.close();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !accepts(port));
        DataPlane again = new DataPlane(settings, vertx, new dev.berth.metrics.BerthMetrics(null));
        try {
            assertThat(accepts(port)).isTrue();
            assertThat(RouteTable.members(remote().routes())).containsExactly("kept-1");
        } finally {
            again.close();
        }
    }

    @Test
    void aPortThatCannotBeOpenedIsReportedPerServiceAndTheChannelWantsTheToken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            DataPlane dp = new DataPlane(settings, vertx, new dev.berth.metrics.BerthMetrics(null));
            try {
                RemoteProxy r = remote();
                assertThat(r.seed()).isTrue();
                assertThat(r.apply(table(taken.getLocalPort(), "a"))).containsOnlyKeys("web");

                HttpClient http = HttpClient.newHttpClient();
                for (String auth : List.of("", "Bearer wrong")) {
                    var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/routes"));
                    if (!auth.isEmpty()) {
                        b.header("Authorization", auth);
                    }
                    assertThat(http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as(auth).isEqualTo(401);
                }
                String token = AdminToken.read(settings.proxyDir().resolve(AdminToken.FILE));
                var bad = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/routes"))
                        .header("Authorization", "Bearer " + token).PUT(HttpRequest.BodyPublishers.ofString("{\"no\":1}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(bad.statusCode()).isEqualTo(400);
            } finally {
                dp.close();
            }
        }
    }
}
