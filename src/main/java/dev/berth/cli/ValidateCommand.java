package dev.berth.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth validate DIR|FILE…}: the daemon's loader checks, offline (no server, no token), for
 * pre-commit hooks and CI. Each problem is one {@code path:line: field: reason} line on stdout,
 * the path as given; exit 1 when there is any.
 */
@Command(name = "validate", description = "Check manifests offline, as the daemon would: exit 0 valid, 1 problems "
        + "(one 'file:line: field: reason' line each).")
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR|FILE", description = "A manifests directory, or single files.")
    List<Path> paths;

    @Option(names = "--secrets-dir", paramLabel = "DIR",
            description = "Where secret files are (default: BERTH_SECRETS_DIR, /etc/berth/secrets); not checked when it does not exist.")
    Path secretsDir;

    @Override
    public Integer call() {
        BerthCli root = BerthCli.root(spec);
        Path secrets = LocalManifests.secretsDir(root.io, secretsDir);
        LocalManifests.quietLoaderLogs();
        int files = LocalManifests.sources(paths).size();
        List<String> problems = LocalManifests.problems(paths, secrets);
        problems.forEach(root.io.out()::println);
        String note = LocalManifests.secretsNote(secrets);
        if (note != null) {
            root.io.err().println(note);
        }
        if (!problems.isEmpty()) {
            root.io.err().println(problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " in "
                    + String.join(", ", paths.stream().map(Path::toString).toList()));
            return Exit.FAILED;
        }
        root.io.err().println(files + " manifest file" + (files == 1 ? "" : "s") + " valid");
        return Exit.OK;
    }
}
