package dev.berth.manifest.compose;

import static dev.berth.manifest.compose.BerthDoc.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.manifest.LocatedDocument;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compose {@code ports}, short ({@code "8080:80"}, {@code "8080:80/udp"}) and long syntax, as
 * Berth ports. A TCP port is served through Berth's proxy (Berth's default mode) as plain TCP,
 * which is right for any protocol; {@code app_protocol: http} makes it an HTTP port of the
 * proxy (per-request balancing, X-Forwarded headers). A UDP port, and {@code mode: host}, are
 * published by the engine. A host port must be given: Berth publishes on the port you name.
 */
final class PortTranslator {
    /** {@code [HOST:]CONTAINER[/PROTOCOL]}; an IP in front is refused separately. */
    private static final Pattern SHORT = Pattern.compile("^(?:(\\d+):)?(\\d+)(?:/(tcp|udp))?$");
    private static final Set<String> LONG_KEYS = Set.of("target", "published", "protocol", "app_protocol", "mode", "name");

    private final BerthDoc d;
    private final String kp;
    private final ServiceTranslator.Problems problems;

    PortTranslator(BerthDoc d, String kp, ServiceTranslator.Problems problems) {
        this.d = d;
        this.kp = kp;
        this.problems = problems;
    }

    void ports(JsonNode v) {
        ArrayNode out = NODES.arrayNode();
        d.put("ports", out, kp);
        for (int i = 0; i < v.size(); i++) {
            String ip = kp + "/" + i;
            if (d.from.refused(ip)) {
                continue;
            }
            JsonNode item = v.get(i);
            ObjectNode p = item.isObject() ? longPort(item, ip) : shortPort(item.asText(), ip);
            if (p != null) {
                d.add(out, "/spec/ports", p, ip);
                if (item.isObject()) {
                    d.note("/spec/ports/" + (out.size() - 1) + "/port", LocatedDocument.child(ip, "published"));
                }
            }
        }
    }

    private ObjectNode shortPort(String text, String ip) {
        Matcher m = SHORT.matcher(text);
        if (!m.matches()) {
            problems.add(ip, text.contains("-") ? "port ranges are not supported; list each port"
                    : text.chars().filter(c -> c == ':').count() >= 2 || text.startsWith("[")
                            ? "a host IP is not supported: Berth listens on berth.publish-address for every published port"
                            : "'" + text + "' is not [HOST:]CONTAINER[/PROTOCOL]");
            return null;
        }
        if (m.group(1) == null) {
            problems.add(ip, "needs a host port (HOST:CONTAINER): Berth publishes on the port you name, never on a random one");
            return null;
        }
        return port(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3) == null ? "tcp" : m.group(3),
                null, "ingress");
    }

    private ObjectNode longPort(JsonNode item, String ip) {
        if (Keys.refuseOthers(d.from, item, ip, LONG_KEYS, (k, p) -> problems.add(p, k.equals("host_ip")
                ? "is not supported: Berth listens on berth.publish-address for every published port"
                : "is not a port key Berth knows (target, published, protocol, app_protocol, mode, name)"))) {
            return null;
        }
        if (d.from.refused(ip, "published") || d.from.refused(ip, "mode")) {
            return null; // the schema has said why
        }
        JsonNode published = item.path("published");
        if (published.isMissingNode() || published.isNull()) {
            problems.add(ip, "needs published: Berth publishes on the port you name, never on a random one");
            return null;
        }
        if (!published.asText().matches("\\d+")) {
            problems.add(LocatedDocument.child(ip, "published"), "'" + published.asText()
                    + "' is not a port number (ranges are not supported)");
            return null;
        }
        String mode = item.path("mode").asText("ingress");
        if (!mode.equals("ingress") && !mode.equals("host")) {
            problems.add(LocatedDocument.child(ip, "mode"), "'" + mode + "' is not a port mode (ingress, host)");
            return null;
        }
        return port(Integer.parseInt(published.asText()), item.path("target").asInt(), item.path("protocol").asText("tcp"),
                item.path("app_protocol").asText(null), mode);
    }

    private ObjectNode port(int published, int target, String protocol, String appProtocol, String mode) {
        ObjectNode p = NODES.objectNode();
        p.put("port", published);
        p.put("targetPort", target);
        boolean udp = protocol.equals("udp");
        p.put("protocol", udp ? "udp" : "http".equalsIgnoreCase(appProtocol) ? "http" : "tcp");
        if (udp || mode.equals("host")) {
            p.put("mode", "host"); // Berth's proxy does not carry UDP
        }
        return p;
    }
}
