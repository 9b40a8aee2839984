package dev.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code berth}: the daemon's REST API from a shell or a pipeline (docs/cli.md). Plain Java, no
 * Quarkus and no CDI on this path: a call must start, ask and print within half a second.
 */
@Command(name = "berth", mixinStandardHelpOptions = true, versionProvider = BerthCli.Version.class,
        description = "Talks to a Berth daemon: apply manifests, follow rollouts, read status, events and logs.",
        footer = {"", "Exit codes: 0 ok, 1 invalid manifests or failed rollout, 2 timed out, 3 refused by Berth, "
                + "4 Berth unreachable, 64 wrong command line. See docs/cli.md."})
public final class BerthCli implements Runnable {

    /**
     * The commands, by name. Only those a command line names are built (picocli reads every
     * annotation of a command tree by reflection, which is most of a call's start-up); all of
     * them for help, completion and a line that names none.
     */
    static final java.util.Map<String, Class<?>> COMMANDS = orderedCommands();

    private static java.util.Map<String, Class<?>> orderedCommands() {
        java.util.Map<String, Class<?>> m = new java.util.LinkedHashMap<>();
        m.put("apply", ApplyCommand.class);
        m.put("diff", DiffCommand.class);
        m.put("get", GetCommand.class);
        m.put("describe", DescribeCommand.class);
        m.put("rollout", RolloutCommand.class);
        m.put("events", EventsCommand.class);
        m.put("logs", LogsCommand.class);
        m.put("validate", ValidateCommand.class);
        m.put("completion", CompletionCommand.class);
        return java.util.Collections.unmodifiableMap(m);
    }

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Berth's API (default: BERTH_SERVER, the config file's context, http://127.0.0.1:7070).")
    String server;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "API token (default: BERTH_API_TOKEN, the context's token, the daemon's token file).")
    String token;

    @Option(names = "--context", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Context of ~/.config/berth/config.yaml (default: its current-context).")
    String context;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "table (default), json or yaml.")
    Format output = Format.table;

    @Spec
    CommandSpec spec;

    final Io io;

    public BerthCli() {
        this(Io.system());
    }

    BerthCli(Io io) {
        this.io = io;
    }

    public static void main(String[] args) {
        int code = run(Io.system(), args);
        System.out.flush();
        System.exit(code);
    }

    /**
     * Runs one command line in this JVM with the given streams, environment and home directory,
     * and returns its exit code (for tests that run the CLI against a daemon they started).
     */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, java.util.Map<String, String> env,
            java.nio.file.Path home, String... args) {
        return run(new Io(out, err, env, home), args);
    }

    /** Runs one command line and returns its exit code (tests call this in-process). */
    static int run(Io io, String... args) {
        int code = commandLine(io, args).execute(args);
        io.out().flush();
        io.err().flush();
        return code;
    }

    /** The whole command tree (help, completion). */
    static CommandLine commandLine(Io io) {
        return commandLine(io, new String[0]);
    }

    /** The tree with the commands {@code args} names, or all of them when it names none. */
    static CommandLine commandLine(Io io, String[] args) {
        CommandLine cl = new CommandLine(new BerthCli(io));
        java.util.List<String> named = java.util.Arrays.stream(args).filter(COMMANDS::containsKey).distinct().toList();
        for (String name : named.isEmpty() ? COMMANDS.keySet() : named) {
            cl.addSubcommand(name, COMMANDS.get(name));
        }
        cl.setOut(io.out());
        cl.setErr(io.err());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine.IParameterExceptionHandler usage = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((e, given) -> {
            usage.handleParseException(e, given);
            return Exit.USAGE;
        });
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CliFailure f) {
                io.err().println("error: " + f.getMessage());
                return f.exitCode();
            }
            throw e;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(io.out());
    }

    /** The root command of the command a subcommand belongs to. */
    static BerthCli root(CommandSpec spec) {
        return (BerthCli) spec.root().userObject();
    }

    Api api() {
        return new Api(TargetResolver.resolve(io, server, token, context));
    }

    /** Prints an answer as -o asks: the document for json/yaml; null when a table is wanted. */
    boolean printedAsDocument(com.fasterxml.jackson.databind.JsonNode answer) {
        String doc = output.document(answer);
        if (doc == null) {
            return false;
        }
        io.out().print(doc);
        return true;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = BerthCli.class.getPackage().getImplementationVersion();
            return new String[] {"berth " + (v == null ? "(development build)" : v)};
        }
    }
}
