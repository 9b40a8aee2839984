package dev.berth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth logs NAME [-f] [--tail N] [--replica N]}: a replica's stdout and stderr through the engine. */
@Command(name = "logs", description = "A replica's logs (default: the lowest ordinal ready replica of the current revision).")
final class LogsCommand extends ServiceCommand {
    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until interrupted.")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", description = "Lines from the end to start with (Berth's default: 100).")
    Integer tail;

    @Option(names = "--replica", paramLabel = "ORDINAL", description = "The replica's ordinal (1, 2, …).")
    Integer replica;

    @Option(names = "--timestamps", description = "Prefix each line with the engine's timestamp.")
    boolean timestamps;

    @Override
    public Integer call() {
        BerthCli root = root();
        StringBuilder q = new StringBuilder("follow=" + follow);
        if (tail != null) {
            q.append("&tail=").append(tail);
        }
        if (replica != null) {
            q.append("&replica=").append(replica);
        }
        if (timestamps) {
            q.append("&timestamps=true");
        }
        try (InputStream in = root.api().stream("/api/v1/services/" + Api.segment(name) + "/logs?" + q)) {
            copy(in, root.io.out());
        } catch (IOException e) {
            throw new CliFailure(Exit.UNREACHABLE, "the log stream of " + name + " broke off: " + e.getMessage());
        }
        return Exit.OK;
    }

    /** Passes text through as it arrives, flushing each chunk (a followed log must not sit in a buffer). */
    static void copy(InputStream in, PrintWriter out) throws IOException {
        Reader r = new InputStreamReader(in, StandardCharsets.UTF_8);
        char[] buf = new char[8192];
        for (int n; (n = r.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
            out.flush();
        }
    }
}
