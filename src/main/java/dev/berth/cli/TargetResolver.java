package dev.berth.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the daemon is and which token to send, first found wins (docs/cli.md#server-and-token):
 * <ul>
 * <li>server: {@code --server}, {@code BERTH_SERVER}, the config file's context, {@code http://127.0.0.1:7070};</li>
 * <li>token: {@code --token}, {@code BERTH_API_TOKEN}, the context's {@code token} or {@code token-file},
 * then the daemon's own {@code <state-dir>/api-token} when readable, only for a loopback server (the
 * daemon's own host: that token is never sent anywhere else).</li>
 * </ul>
 * The context is {@code --context}, else the file's {@code current-context}.
 */
final class TargetResolver {
    static final String DEFAULT_SERVER = "http://127.0.0.1:7070";
    static final String DEFAULT_STATE_DIR = "/var/lib/berth";

    private TargetResolver() {}

    static Target resolve(Io io, String serverOption, String tokenOption, String contextOption) {
        Path configFile = CliConfig.location(io);
        CliConfig config = CliConfig.read(configFile);
        if (config == null && contextOption != null) {
            throw new CliFailure(Exit.USAGE, "--context " + contextOption + ": there is no config file " + configFile);
        }
        CliConfig.Context ctx = config == null ? null
                : config.context(contextOption != null ? contextOption : config.currentContext());
        String server = first(serverOption, io.env("BERTH_SERVER"), ctx == null ? null : ctx.server(), DEFAULT_SERVER);
        server = normalise(server);
        if (tokenOption != null) {
            return new Target(server, tokenOption, "--token");
        }
        if (io.env("BERTH_API_TOKEN") != null) {
            return new Target(server, io.env("BERTH_API_TOKEN"), "BERTH_API_TOKEN");
        }
        if (ctx != null && ctx.token() != null) {
            return new Target(server, ctx.token(), "context " + ctx.name() + " of " + configFile);
        }
        if (ctx != null && ctx.tokenFile() != null) {
            Path f = expand(io, configFile, ctx.tokenFile());
            try {
                return new Target(server, Files.readString(f).strip(), f + " (context " + ctx.name() + ")");
            } catch (IOException e) {
                throw CliConfig.bad(configFile, "context " + ctx.name() + ": token-file " + f + " cannot be read ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        Path daemonToken = Path.of(first(io.env("BERTH_STATE_DIR"), DEFAULT_STATE_DIR)).resolve("api-token");
        if (isLoopback(server) && Files.isReadable(daemonToken)) {
            try {
                return new Target(server, Files.readString(daemonToken).strip(), daemonToken.toString());
            } catch (IOException e) {
                // Readable a moment ago; go on without a token and let a 401 say how to pass one.
            }
        }
        return new Target(server, null, null);
    }

    static boolean isLoopback(String server) {
        String host = URI.create(server).getHost();
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
                || host.equals("::1"));
    }

    private static String normalise(String server) {
        String s = server.contains("://") ? server : "http://" + server;
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            URI u = URI.create(s);
            if (u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                throw new IllegalArgumentException("not http(s)://host[:port]");
            }
        } catch (IllegalArgumentException e) {
            throw new CliFailure(Exit.USAGE, "server '" + server + "' is not a URL like http://127.0.0.1:7070");
        }
        return s;
    }

    private static Path expand(Io io, Path configFile, String p) {
        if (p.startsWith("~/")) {
            return io.home().resolve(p.substring(2));
        }
        Path path = Path.of(p);
        return path.isAbsolute() ? path : configFile.toAbsolutePath().getParent().resolve(path);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
