package dev.berth.manifest.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.manifest.EnvFile;
import dev.berth.manifest.FileLooks;
import dev.berth.manifest.IoWords;
import dev.berth.manifest.LocatedDocument;
import dev.berth.manifest.ManifestException;
import dev.berth.manifest.ManifestText;
import dev.berth.manifest.Problem;
import dev.berth.manifest.YamlReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads one Compose project (a main file and the override beside it) as Berth documents:
 * {@code kind: Service}, {@code Volume} and {@code Network}, in the same tree shape as Berth's
 * own manifests, so the same schema, binder and cross-file checks apply to them. Each value
 * keeps the Compose file, line and key it came from ({@link dev.berth.manifest.Origin}).
 *
 * <p>A file with any problem is refused whole, never applied without the key: a container
 * that silently lacks a port, a mount or a limit the author wrote fails far from the cause,
 * and Berth's rule for bad input already keeps the last good version running.
 */
public final class ComposeProject {
    /** Compose's rule for project names (the top-level {@code name}). */
    private static final Pattern PROJECT = Pattern.compile("^[a-z0-9][a-z0-9_-]*$");
    private static final Set<String> TOP = Set.of("version", "name", "services", "volumes", "networks", "secrets",
            "configs");
    /**
     * Process variables a compose file may not read: Berth's own settings and its API token
     * ({@code BERTH_}), and Quarkus' settings, which can hold the API's TLS key store password.
     */
    static final java.util.List<String> PRIVATE_PREFIXES = java.util.List.of("BERTH_", "QUARKUS_");

    private ComposeProject() {}

    /** Whether this file is read by {@link #read} rather than as a Berth manifest. */
    public static boolean isCompose(Path file) {
        return ComposeFiles.isMain(file) || ComposeFiles.isOverride(file);
    }

    /**
     * @param relative   the file's name as reported (relative to the manifests directory)
     * @param processEnv Berth's environment, the second place {@code ${VAR}} is looked up
     * @return the project's documents; none for an override file (read with its main file)
     */
    public static List<LocatedDocument> read(String relative, Path path, String content, Map<String, String> processEnv)
            throws ManifestException {
        Path dir = path.toAbsolutePath().getParent();
        String name = path.getFileName().toString();
        if (ComposeFiles.isOverride(path)) {
            if (ComposeFiles.chosenMain(dir) == null) {
                throw new ManifestException(new Problem(relative, 0, "", "a Compose override file is merged over "
                        + "compose.yaml (or compose.yml, docker-compose.yaml, docker-compose.yml) beside it, and there is none"));
            }
            return List.of();
        }
        Path chosen = ComposeFiles.chosenMain(dir);
        if (chosen != null && !chosen.getFileName().toString().equals(name)) {
            throw new ManifestException(new Problem(relative, 0, "", "this directory already has " + chosen.getFileName()
                    + ", which Compose reads instead (one project per directory); remove or rename this file"));
        }
        List<Problem> problems = new ArrayList<>();
        Function<String, String> env = environment(relative, dir, processEnv, problems);
        ComposeTree tree = tree(relative, relative, content, env, problems);
        Path over = ComposeFiles.override(dir);
        if (over != null && tree != null) {
            String overRel = sibling(relative, over.getFileName().toString());
            try {
                ComposeTree o = tree(relative, overRel, ManifestText.read(overRel, over), env, problems);
                if (o != null) {
                    ComposeMerge.merge(tree, o);
                }
            } catch (ManifestException e) {
                e.problems().forEach(p -> problems.add(elsewhere(relative, p)));
            } catch (IOException e) {
                problems.add(new Problem(relative, 0, "", "cannot read " + overRel + ": " + IoWords.of(e)));
            }
        }
        if (tree == null) {
            throw refused(problems);
        }
        // On with the problems so far: the user sees every problem of the file at once. The
        // schema speaks first on shapes; the translation skips the values it refused.
        List<Problem> shapes = ComposeSchema.check(tree, relative);
        List<LocatedDocument> docs = new ProjectTranslator(tree, relative, dir, env, problems).documents();
        if (!problems.isEmpty() || !shapes.isEmpty()) {
            throw refused(java.util.stream.Stream.concat(shapes.stream(), problems.stream()).toList());
        }
        return docs;
    }

    /** The problems in the order of the file's lines, which is how a user fixes them. */
    private static ManifestException refused(List<Problem> problems) {
        return new ManifestException(problems.stream().sorted(java.util.Comparator.comparingInt(Problem::line)).toList());
    }

    /** One file read, interpolated and normalised; null after a problem that leaves no tree. */
    private static ComposeTree tree(String main, String file, String content, Function<String, String> env,
            List<Problem> problems) throws ManifestException {
        List<LocatedDocument> docs = YamlReader.read(file, content);
        if (docs.size() != 1 || !docs.get(0).root().isObject()) {
            problems.add(elsewhere(main, new Problem(file, docs.isEmpty() ? 0 : docs.get(0).line(), "",
                    "a Compose file is one YAML mapping (services, volumes, networks)")));
            return null;
        }
        ComposeTree t = ComposeTree.of(docs.get(0));
        interpolate(t, main, t.root, "", env, problems);
        ComposeNormal.apply(t, main, problems);
        return t;
    }

    private static void interpolate(ComposeTree t, String main, JsonNode n, String ptr, Function<String, String> env,
            List<Problem> problems) {
        if (n instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = LocatedDocument.child(ptr, e.getKey());
                if (e.getValue().isTextual()) {
                    String v = substitute(t, main, p, e.getValue().asText(), env, problems);
                    e.setValue(BerthDoc.NODES.textNode(v));
                } else {
                    interpolate(t, main, e.getValue(), p, env, problems);
                }
            }
        } else if (n instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) {
                    a.set(i, BerthDoc.NODES.textNode(substitute(t, main, ptr + "/" + i, a.get(i).asText(), env, problems)));
                } else {
                    interpolate(t, main, a.get(i), ptr + "/" + i, env, problems);
                }
            }
        }
    }

    private static String substitute(ComposeTree t, String main, String ptr, String s, Function<String, String> env,
            List<Problem> problems) {
        try {
            return Interpolation.apply(s, env);
        } catch (Interpolation.Failed e) {
            problems.add(t.problem(main, ptr, e.getMessage()));
            return s;
        }
    }

    /**
     * {@code .env} beside the main file first, then Berth's environment, as the brief for a
     * daemon wants: the file the operator keeps with the project decides. Variables named
     * {@code BERTH_*} are never read from Berth's environment: they hold its API token.
     */
    private static Function<String, String> environment(String relative, Path dir, Map<String, String> processEnv,
            List<Problem> problems) {
        Map<String, String> dotenv = Map.of();
        Path file = dir.resolve(".env");
        if (FileLooks.isRegularFile(file)) {
            String rel = sibling(relative, ".env");
            try {
                dotenv = EnvFile.parse(ManifestText.read(rel, file));
            } catch (ManifestException e) {
                e.problems().forEach(p -> problems.add(elsewhere(relative, p)));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(relative, 0, "", rel + ": " + e.getMessage()));
            } catch (IOException e) {
                problems.add(new Problem(relative, 0, "", "cannot read " + rel + ": " + IoWords.of(e)));
            }
        }
        Map<String, String> fromFile = dotenv;
        return name -> fromFile.containsKey(name) ? fromFile.get(name)
                : PRIVATE_PREFIXES.stream().anyMatch(name::startsWith) ? null : processEnv.get(name);
    }

    /** A problem found in another file of the project, charged to the main file (see {@link LocatedDocument}). */
    private static Problem elsewhere(String main, Problem p) {
        if (p.file().equals(main)) {
            return p;
        }
        return new Problem(main, 0, p.field(), p.message() + " (" + p.file() + (p.line() > 0 ? ":" + p.line() : "") + ")");
    }

    private static String sibling(String relative, String name) {
        Path parent = Path.of(relative).getParent();
        return parent == null ? name : parent.resolve(name).toString();
    }

    static boolean isProjectName(String name) {
        return PROJECT.matcher(name).matches();
    }

    static Set<String> topKeys() {
        return TOP;
    }
}
