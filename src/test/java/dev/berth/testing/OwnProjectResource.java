package dev.berth.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A Quarkus test resource that gives the application under test a project of its own
 * ({@link EngineProjects#newName}) on new directories ({@link EngineProjects.Dirs}), and removes
 * what Berth created for that project when the application stops.
 */
public abstract class OwnProjectResource implements QuarkusTestResourceLifecycleManager {
    private final String projectPrefix;
    private final String tempPrefix;
    private String project;

    protected OwnProjectResource(String projectPrefix, String tempPrefix) {
        this.projectPrefix = projectPrefix;
        this.tempPrefix = tempPrefix;
    }

    /** Writes the project's files into {@code dirs} and returns the application's settings. */
    protected abstract Map<String, String> prepare(String project, EngineProjects.Dirs dirs) throws IOException;

    @Override
    public Map<String, String> start() {
        project = EngineProjects.newName(projectPrefix);
        try {
            return prepare(project, EngineProjects.Dirs.create(tempPrefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        EngineProjects.remove(project);
    }
}
