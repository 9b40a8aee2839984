package dev.berth.proxy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The control plane's side of the admin channel (role {@code control}): a {@link TrafficSwitch}
 * whose listeners live in a separate data-plane process. Every apply pushes the whole table, so a
 * push that failed (data plane down or restarting) is simply made again by the next pass or
 * readiness change; meanwhile the data plane serves its last table and {@link #unreachable} says
 * why in Berth's readiness.
 *
 * <p>Before its first push it reads the data plane's table and hands the members to
 * {@code onMembers} (which seeds readiness), so a control plane that just started never pushes a
 * table emptied only because its probes have not run yet. While that read has not succeeded
 * nothing is pushed at all.
 */
public final class RemoteProxy implements TrafficSwitch {
    private static final Logger LOG = Logger.getLogger(RemoteProxy.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final URI base;
    private final Path tokenFile;
    private final Consumer<Set<String>> onMembers;
    /** Plain HTTP on the loopback: no TLS context (the JDK's default costs a start 0.1 s). */
    private final HttpClient http = dev.berth.net.NoTls.plainHttp()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private volatile String token;
    private volatile boolean seeded;
    private volatile String unreachable = "the data plane's table has not been read yet";

    /**
     * @param tokenFile where the data plane keeps the admin token ({@link AdminToken})
     * @param onMembers told once, before the first push, which replicas the data plane serves now
     */
    public RemoteProxy(String host, int port, Path tokenFile, Consumer<Set<String>> onMembers) {
        this.base = URI.create("http://" + host + ":" + port);
        this.tokenFile = tokenFile;
        this.onMembers = onMembers;
    }

    /** Reads the data plane's table once and seeds from it; true when that is done. Safe to repeat. */
    public synchronized boolean seed() {
        if (seeded) {
            return true;
        }
        try {
            Set<String> members = RouteTable.members(routes());
            onMembers.accept(members);
            seeded = true;
            unreachable = null;
            LOG.infof("data plane at %s serves %d replicas; they keep their readiness", base, members.size());
            return true;
        } catch (IOException | RuntimeException e) {
            unreachable = "data plane at " + base + " unreachable: " + message(e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The data plane's current table. */
    public List<Route> routes() throws IOException, InterruptedException {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(base.resolve("/routes")).GET());
        return RouteTable.fromJson(r.body());
    }

    @Override
    public synchronized Map<String, String> apply(List<Route> routes) {
        if (!seeded) {
            if (!seed()) {
                return everyService(routes, unreachable + "; it keeps serving its last table");
            }
            // These routes were computed before the seed: the pass that onMembers woke pushes.
            return Map.of();
        }
        try {
            HttpResponse<byte[]> r = send(HttpRequest.newBuilder(base.resolve("/routes"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(RouteTable.toJson(routes))));
            Map<String, String> errors = JSON.readValue(r.body(), new TypeReference<Map<String, String>>() {});
            if (unreachable != null) {
                LOG.infof("data plane at %s reachable again; routes pushed", base);
            }
            unreachable = null;
            return errors;
        } catch (IOException | RuntimeException e) {
            String why = "data plane at " + base + " unreachable: " + message(e);
            if (!why.equals(unreachable)) {
                LOG.warnf("%s; it keeps serving its last table, the push is retried", why);
            }
            unreachable = why;
            return everyService(routes, why + "; it keeps serving its last table");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return everyService(routes, "interrupted");
        }
    }

    private static Map<String, String> everyService(List<Route> routes, String why) {
        Map<String, String> out = new HashMap<>();
        routes.forEach(r -> out.put(r.service(), why));
        return out;
    }

    @Override
    public boolean isMember(String containerId) {
        try {
            return RouteTable.members(routes()).contains(containerId);
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Answers when the data plane says the replica is drained; if it cannot be asked, at once (logged). */
    @Override
    public CompletableFuture<Void> drain(String containerId, Duration deadline) {
        HttpRequest.Builder b;
        try {
            b = request(HttpRequest.newBuilder(base.resolve("/drain/" + containerId + "?deadlineMs=" + deadline.toMillis()))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(deadline.plus(TIMEOUT)));
        } catch (IOException e) {
            LOG.warnf("cannot drain %s on the data plane (%s)", containerId, e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding()).handle((r, e) -> {
            if (e != null || r.statusCode() != 200) {
                LOG.warnf("cannot drain %s on the data plane (%s)", containerId,
                        e != null ? message(e) : "HTTP " + r.statusCode());
            }
            return null;
        });
    }

    @Override
    public Map<Integer, long[]> counters() {
        try {
            HttpResponse<byte[]> r = send(HttpRequest.newBuilder(base.resolve("/counters")).GET());
            Map<Integer, long[]> out = new HashMap<>();
            JSON.readValue(r.body(), new TypeReference<Map<Integer, long[]>>() {}).forEach(out::put);
            return out;
        } catch (IOException | RuntimeException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    @Override
    public String unreachable() {
        return unreachable;
    }

    /** Sends with the token; a 401 rereads the token file once (the data plane made a new one). */
    private HttpResponse<byte[]> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(request(b.copy()).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 401) {
            token = null;
            r = http.send(request(b.copy()).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + " " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8).strip());
        }
        return r;
    }

    private HttpRequest.Builder request(HttpRequest.Builder b) throws IOException {
        String t = token;
        if (t == null) {
            t = AdminToken.read(tokenFile);
            if (t == null) {
                throw new IOException("no admin token in " + tokenFile + " (has the data plane started?)");
            }
            token = t;
        }
        return b.header("Authorization", "Bearer " + t);
    }

    private static String message(Throwable e) {
        Throwable root = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    @Override
    public void close() {
        // The data plane goes on serving: it is not ours to stop.
    }
}
