package dev.berth.app;

import dev.berth.proxy.AdminServer;
import dev.berth.proxy.AdminToken;
import dev.berth.proxy.PersistentSwitch;
import dev.berth.proxy.ProxyManager;
import dev.berth.proxy.RouteTable;
import io.vertx.core.Vertx;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The data plane of role {@code proxy}, assembled from {@link Settings}: the listeners
 * ({@link ProxyManager}), the table they serve kept in {@code <state-dir>/proxy/routes.json} and
 * applied at start, and the admin channel the control plane configures it through. No engine, no
 * manifests, no reconcile loop. Plain Java so tests can run one without the container.
 */
public final class DataPlane implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DataPlane.class);

    private final PersistentSwitch proxy;
    private final AdminServer admin;
    private volatile Map<String, String> restoreErrors = Map.of();

    public DataPlane(Settings settings, Vertx vertx, dev.berth.metrics.BerthMetrics metrics) throws Exception {
        CompilerCheck.warning(Role.PROXY, CompilerCheck.tieredStopAtLevel()).ifPresent(LOG::warn);
        this.proxy = new PersistentSwitch(new ProxyManager(vertx, settings.publishAddress(), metrics,
                settings.proxyTimeouts()), settings.proxyDir().resolve(RouteTable.FILE));
        String token = AdminToken.loadOrCreate(settings.proxyDir().resolve(AdminToken.FILE));
        // Listeners first: the ports serve the last table before the control plane is back.
        restoreErrors = proxy.restore();
        restoreErrors.forEach((svc, err) -> LOG.errorf("service=%s proxy: %s", svc, err));
        try {
            this.admin = new AdminServer(vertx, proxy, token).listen(settings.admin().host(), settings.admin().port());
        } catch (Exception e) {
            proxy.close();
            throw new IllegalStateException("cannot open the proxy admin channel on " + settings.admin().host() + ":"
                    + settings.admin().port() + ": " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }

    /** Services and members served now, and ports the last restore could not open. */
    public Map<String, Object> describe() {
        var table = proxy.table();
        return Map.of("services", table.size(), "members", RouteTable.members(table).size(),
                "restoreErrors", restoreErrors);
    }

    @Override
    public void close() {
        admin.close();
        proxy.close();
    }
}
