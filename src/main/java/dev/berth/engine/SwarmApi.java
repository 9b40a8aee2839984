package dev.berth.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.NameParser;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The Swarm part of the Engine API, spoken to a manager as JSON. Raw JSON rather than docker-java's
 * model: the model lacks fields Berth sets (job mode, capabilities, spread preferences), and a spec
 * read back through it would lose them, so every comparison would see drift. What goes out is the
 * spec as {@code swarm.SwarmService} builds it; what comes back is the engine's own JSON.
 *
 * <p>Every call is bounded as the container calls are ({@link BoundedHttpClient}); a failed call
 * throws {@link EngineException} with the engine's message.
 */
public final class SwarmApi implements AutoCloseable {
    /** The mapper docker-java writes its model with: the swarm package's added fields ride on it. */
    public static final ObjectMapper JSON = DockerClientConfig.getDefaultObjectMapper();

    private final DockerClientConfig config;
    private final DockerHttpClient http;

    public SwarmApi(DockerClientConfig config, Duration bound) {
        this.config = config;
        this.http = new BoundedHttpClient(DockerClients.transport(config, 8), bound);
    }

    /** {@code Swarm.LocalNodeState} and {@code Swarm.ControlAvailable} of the engine Berth talks to. */
    public SwarmRole role() {
        JsonNode swarm = get("/info").path("Swarm");
        return new SwarmRole(swarm.path("LocalNodeState").asText(""), swarm.path("ControlAvailable").asBoolean(false),
                swarm.path("NodeID").asText(""));
    }

    /** The Engine API version the engine speaks at most ({@code /version}'s {@code ApiVersion}, such as "1.41"). */
    public String apiVersion() {
        return get("/version").path("ApiVersion").asText("");
    }

    public record SwarmRole(String state, boolean manager, String nodeId) {
        public boolean usable() {
            return "active".equals(state) && manager;
        }
    }

    public List<JsonNode> services(Map<String, String> labels) {
        return list("/services", labels);
    }

    /** The tasks of these services (by ID); tasks cannot be filtered by their service's labels. */
    public List<JsonNode> tasks(List<String> serviceIds) {
        if (serviceIds.isEmpty()) {
            return List.of();
        }
        ArrayNode ids = JsonNodeFactory.instance.arrayNode();
        serviceIds.forEach(ids::add);
        ObjectNode filters = JsonNodeFactory.instance.objectNode();
        filters.set("service", ids);
        List<JsonNode> out = new ArrayList<>();
        get("/tasks?filters=" + URLEncoder.encode(filters.toString(), StandardCharsets.UTF_8)).forEach(out::add);
        return out;
    }

    public List<JsonNode> nodes() {
        return list("/nodes", Map.of());
    }

    public List<JsonNode> networks(Map<String, String> labels) {
        return list("/networks", labels);
    }

    public List<JsonNode> secrets(Map<String, String> labels) {
        return list("/secrets", labels);
    }

    public List<JsonNode> configs(Map<String, String> labels) {
        return list("/configs", labels);
    }

    /** Creates a service; the registry credentials for its image go along so every node can pull it. */
    public String createService(JsonNode spec) {
        return send("POST", "/services/create", spec, auth(spec)).path("ID").asText();
    }

    /** Replaces a service's spec; {@code version} is the one read with it (Swarm refuses a stale one). */
    public void updateService(String id, long version, JsonNode spec) {
        send("POST", "/services/" + id + "/update?version=" + version, spec, auth(spec));
    }

    /**
     * Swarm's own rollback to the service's previous spec ({@code docker service rollback}): its
     * rollback config applies, and {@code UpdateStatus} says {@code rollback_*}.
     */
    public void rollbackService(String id, long version, JsonNode currentSpec) {
        send("POST", "/services/" + id + "/update?version=" + version + "&rollback=previous", currentSpec, null);
    }

    public void removeService(String id) {
        send("DELETE", "/services/" + id, null, null);
    }

    public String createNetwork(JsonNode spec) {
        return send("POST", "/networks/create", spec, null).path("Id").asText();
    }

    public void removeNetwork(String id) {
        send("DELETE", "/networks/" + id, null, null);
    }

    /** Creates a secret or config object ({@code kind} "secrets" or "configs") holding {@code data}. */
    public String createObject(String kind, String name, Map<String, String> labels, byte[] data) {
        ObjectNode spec = JsonNodeFactory.instance.objectNode().put("Name", name);
        spec.set("Labels", JSON.valueToTree(labels));
        spec.put("Data", Base64.getEncoder().encodeToString(data));
        return send("POST", "/" + kind + "/create", spec, null).path("ID").asText();
    }

    public void removeObject(String kind, String id) {
        send("DELETE", "/" + kind + "/" + id, null, null);
    }

    /**
     * The registry's digest for {@code image} without pulling it (what {@code docker service create}
     * pins to), or null when no registry knows it (a local-only image).
     */
    public String digest(String image) {
        try {
            JsonNode d = send("GET", "/distribution/" + image + "/json", null, authFor(image));
            String digest = d.path("Descriptor").path("digest").asText("");
            return digest.isEmpty() ? null : digest;
        } catch (EngineException e) {
            return null;
        }
    }

    private List<JsonNode> list(String path, Map<String, String> labels) {
        String query = "";
        if (!labels.isEmpty()) {
            ArrayNode l = JsonNodeFactory.instance.arrayNode();
            labels.forEach((k, v) -> l.add(k + "=" + v));
            ObjectNode filters = JsonNodeFactory.instance.objectNode();
            filters.set("label", l);
            query = "?filters=" + URLEncoder.encode(filters.toString(), StandardCharsets.UTF_8);
        }
        List<JsonNode> out = new ArrayList<>();
        get(path + query).forEach(out::add);
        return out;
    }

    private JsonNode get(String path) {
        return send("GET", path, null, null);
    }

    private String auth(JsonNode spec) {
        return authFor(spec.path("TaskTemplate").path("ContainerSpec").path("Image").asText(""));
    }

    /** X-Registry-Auth for the image's registry from the Docker config, or null when it has none. */
    private String authFor(String image) {
        if (image.isEmpty()) {
            return null;
        }
        AuthConfig a = config.effectiveAuthConfig(NameParser.parseRepositoryTag(image).repos);
        if (a == null || a.getUsername() == null) {
            return null;
        }
        try {
            return Base64.getUrlEncoder().encodeToString(JSON.writeValueAsBytes(a));
        } catch (IOException e) {
            throw new EngineException("cannot encode registry credentials", e);
        }
    }

    private JsonNode send(String method, String path, JsonNode body, String registryAuth) {
        DockerHttpClient.Request.Builder b = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.valueOf(method)).path(path);
        if (body != null) {
            try {
                b.body(new ByteArrayInputStream(JSON.writeValueAsBytes(body)));
            } catch (IOException e) {
                throw new EngineException("cannot write " + path + " request", e);
            }
            b.putHeader("Content-Type", "application/json");
        }
        if (registryAuth != null) {
            b.putHeader("X-Registry-Auth", registryAuth);
        }
        String what = method + " " + path.replaceAll("\\?.*", "");
        try (DockerHttpClient.Response r = http.execute(b.build()); InputStream in = r.getBody()) {
            byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
            if (r.getStatusCode() >= 300) {
                String message = bytes.length == 0 ? "" : JSON.readTree(bytes).path("message").asText("");
                throw new EngineException(what + ": " + r.getStatusCode() + " " + message);
            }
            return bytes.length == 0 ? JsonNodeFactory.instance.objectNode() : JSON.readTree(bytes);
        } catch (IOException e) {
            throw new EngineException(what + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof EngineException) {
                throw e;
            }
            throw new EngineException(what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
