package dev.berth.manifest;

import dev.berth.manifest.compose.ComposeProject;
import java.nio.file.Path;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;

/** Parses and validates one manifest file on its own (cross-file checks are {@link Assembler}'s). */
public final class ManifestParser {
    private final Path secretsDir;
    private final Path manifestsDir;
    private final HostAccessPolicy hostAccess;
    private final Map<String, String> environment;

    /** Files are confined to each manifest file's own directory; the default host access policy. */
    public ManifestParser(Path secretsDir) {
        this(secretsDir, null, HostAccessPolicy.defaults(secretsDir));
    }

    /**
     * @param manifestsDir the directory env files, configs and relative bind sources must stay in
     *                     (null: each manifest file's own directory)
     * @param hostAccess   which host paths bind mounts may reach
     */
    public ManifestParser(Path secretsDir, Path manifestsDir, HostAccessPolicy hostAccess) {
        this(secretsDir, manifestsDir, hostAccess, System.getenv());
    }

    /** @param environment where a Compose file's {@code ${VAR}} is looked up after its {@code .env} */
    public ManifestParser(Path secretsDir, Path manifestsDir, HostAccessPolicy hostAccess, Map<String, String> environment) {
        this.secretsDir = secretsDir;
        this.manifestsDir = manifestsDir;
        this.hostAccess = hostAccess;
        this.environment = Map.copyOf(environment);
    }

    /**
     * @param relative the file's name as reported to users (relative to the manifests dir)
     * @param path     where the file is, for resolving relative paths inside it
     */
    public ManifestFile parse(String relative, Path path, String content) throws ManifestException {
        if (ComposeProject.isCompose(path)) {
            // Compose files become Berth documents of the same shape, checked the same way below.
            return declarations(relative, path, ComposeProject.read(relative, path, content, environment));
        }
        return declarations(relative, path, YamlReader.read(relative, content));
    }

    private ManifestFile declarations(String relative, Path path, List<LocatedDocument> docs) throws ManifestException {
        List<Problem> problems = new ArrayList<>();
        List<Declaration> declarations = new ArrayList<>();
        for (LocatedDocument doc : docs) {
            if (!doc.root().isObject()) {
                problems.add(new Problem(relative, doc.line(), "", "a manifest document must be a mapping "
                        + "with apiVersion, kind, metadata and spec"));
                continue;
            }
            List<Problem> schema = HostAccessFields.explain(SchemaCheck.check(doc));
            if (!schema.isEmpty()) {
                problems.addAll(schema);
                continue;
            }
            PathConfinement files = new PathConfinement(manifestsDir != null ? manifestsDir : path.toAbsolutePath().getParent());
            SpecBinder binder = new SpecBinder(doc, path, secretsDir, files, hostAccess);
            Object declared = binder.bind();
            problems.addAll(binder.problems());
            declarations.add(new Declaration(declared, doc));
        }
        if (!problems.isEmpty()) {
            throw new ManifestException(problems);
        }
        return new ManifestFile(relative, declarations);
    }
}
