package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth events [-f] [--service NAME]}: the kept events, and with {@code -f} every new one
 * as it happens (the Server-Sent Events of /api/v1/events/stream) until interrupted. With
 * {@code -o json} each event is one line of JSON (JSON Lines), for {@code jq}.
 */
@Command(name = "events", description = "Events; with -f, follow them as they happen.")
final class EventsCommand extends TargetCommand {
    @Option(names = {"-f", "--follow"}, description = "Keep printing new events until interrupted.")
    boolean follow;

    @Mixin
    ServiceFilter service;

    @Option(names = "--limit", paramLabel = "N", description = "Without -f: only the newest N.")
    Integer limit;

    @Override
    public Integer call() {
        BerthCli root = root();
        if (!follow) {
            return GetEvents.print(root, service.name, limit);
        }
        String path = "/api/v1/events/stream" + (service.name == null ? "" : "?service=" + Api.segment(service.name));
        try (InputStream in = root.api().stream(path)) {
            follow(in, root.io.out(), root.output);
        } catch (IOException e) {
            throw new CliFailure(Exit.UNREACHABLE, "the event stream ended: " + e.getMessage());
        }
        throw new CliFailure(Exit.UNREACHABLE, "Berth closed the event stream");
    }

    /** Reads SSE messages ({@code id:}, {@code data:} lines, a blank line ends one) and prints each event. */
    static void follow(InputStream in, PrintWriter out, Format format) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        StringBuilder data = new StringBuilder();
        boolean header = false;
        for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith("data:")) {
                data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).stripLeading());
                continue;
            }
            if (!line.isEmpty() || data.length() == 0) {
                continue;
            }
            JsonNode e = Json.parse(data.toString());
            data.setLength(0);
            if (format == Format.json) {
                out.println(Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(e));
            } else if (format == Format.yaml) {
                out.print("---\n" + format.document(e));
            } else {
                if (!header) {
                    out.println(line("TIME", "TYPE", "SERVICE", "REV", "REASON", "MESSAGE"));
                    header = true;
                }
                out.println(line(Json.text(e, "time"), Colours.phase(pad(Json.text(e, "type"), 7)),
                        Json.text(e, "service"), e.hasNonNull("revision") ? e.path("revision").asText() : "",
                        Json.text(e, "reason"), Json.text(e, "message")));
            }
            out.flush();
        }
    }

    /** Fixed columns: a stream cannot be aligned on what has not come yet. */
    private static String line(String time, String type, String service, String rev, String reason, String message) {
        String t = time == null ? "" : time.length() > 23 ? time.substring(0, 19) + "Z" : time;
        return (pad(t, 20) + "   " + pad(type, 7) + "   " + pad(service, 16) + "   " + pad(rev, 3) + "   "
                + pad(reason, 18) + "   " + (message == null ? "" : message)).stripTrailing();
    }

    private static String pad(String s, int w) {
        String v = s == null ? "" : s;
        return v.length() >= w ? v : v + " ".repeat(w - v.length());
    }
}
