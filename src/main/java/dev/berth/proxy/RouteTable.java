package dev.berth.proxy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * A whole route table as JSON (the admin channel's body and the file the data plane keeps), and
 * that file: written atomically after each change, read back at start so a restarted data plane
 * serves its last table at once. The JSON is the list of {@link Route} records as they are.
 */
public final class RouteTable {
    private static final Logger LOG = Logger.getLogger(RouteTable.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TypeReference<List<Route>> TYPE = new TypeReference<>() {};

    /** The file's name inside the proxy's directory. */
    public static final String FILE = "routes.json";

    private RouteTable() {}

    public static byte[] toJson(List<Route> routes) {
        try {
            return JSON.writeValueAsBytes(routes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Throws IllegalArgumentException for anything that is not a route table. */
    public static List<Route> fromJson(byte[] json) {
        try {
            List<Route> routes = JSON.readValue(json, TYPE);
            if (routes == null) {
                throw new IllegalArgumentException("a route table is a JSON array, not null");
            }
            for (Route r : routes) {
                if (r == null || r.service() == null || r.service().isBlank()) {
                    throw new IllegalArgumentException("every route needs a service name");
                }
            }
            return List.copyOf(routes);
        } catch (IOException | NullPointerException e) {
            throw new IllegalArgumentException("not a route table: " + e.getMessage(), e);
        }
    }

    /** Atomically replaces {@code file} with {@code routes} (mode 0600: it names containers and ports). */
    public static void save(Path file, List<Route> routes) throws IOException {
        AtomicFiles.write(file, toJson(routes), "rw-------");
    }

    /** The table in {@code file}; empty when there is none, or when it cannot be read (logged). */
    public static List<Route> load(Path file) {
        try {
            return fromJson(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | IllegalArgumentException e) {
            LOG.warnf("cannot read the last route table %s (%s); starting with none", file, e.getMessage());
            return List.of();
        }
    }

    /** Every container that is a member of some route, in table order. */
    public static Set<String> members(List<Route> routes) {
        Set<String> out = new LinkedHashSet<>();
        routes.forEach(r -> r.members().forEach(m -> out.add(m.containerId())));
        return out;
    }

    /** {@code routes} with {@code containerId} taken out of every member list. */
    public static List<Route> without(List<Route> routes, String containerId) {
        List<Route> out = new ArrayList<>();
        for (Route r : routes) {
            out.add(new Route(r.service(), r.ports(),
                    r.members().stream().filter(m -> !m.containerId().equals(containerId)).toList()));
        }
        return out;
    }
}
