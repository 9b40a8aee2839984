package dev.berth.engine;

import dev.berth.desired.VolumeMount;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The last look at bind sources before the engine mounts them. The manifest loader resolved each
 * source to its real path and checked it against the host access policy; the engine follows
 * symbolic links again when it mounts, possibly much later (a repair, a rollback). If a source no
 * longer is its own real path, someone put a link on the way since the check, and the create is
 * refused instead of mounting wherever the link now points.
 */
final class BindSources {
    private BindSources() {}

    /** @throws EngineException naming the source that changed */
    static void verifyUnchanged(List<VolumeMount> volumes) {
        for (VolumeMount v : volumes) {
            if (v.isNamed()) {
                continue;
            }
            Path p = v.hostPath();
            Path real;
            try {
                real = p.toRealPath();
            } catch (IOException e) {
                // Missing: the engine refuses a missing Mount source itself, with its own message.
                continue;
            }
            if (!real.equals(p)) {
                throw new EngineException("bind mount source " + p + " now leads to " + real
                        + " (a symbolic link was put on its path after the manifest was checked); not mounted");
            }
        }
    }
}
