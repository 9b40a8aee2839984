package dev.berth.swarm;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.model.ServiceModeConfig;
import java.util.Map;

/**
 * Swarm's {@code replicated-job} mode (Engine API 1.41, Docker 20.10), which docker-java 3.7.1's
 * {@link ServiceModeConfig} does not model: {@code "Mode": {"ReplicatedJob": {"MaxConcurrent": n,
 * "TotalCompletions": n}}}. docker-java writes a spec with Jackson, which serialises this
 * subclass's own property beside the inherited ones (none of which are set).
 *
 * <p>A Berth job runs each replica to completion once per revision; a replicated job with as many
 * completions as replicas, all allowed at once, is the same thing: Swarm runs the tasks, restarts
 * the failed ones as the restart policy says, and runs the job again when its spec changes.
 */
public final class JobMode extends ServiceModeConfig {
    private static final long serialVersionUID = 1L;

    @JsonProperty("ReplicatedJob")
    private final Map<String, Long> replicatedJob;

    JobMode(int replicas) {
        // MaxConcurrent 0 would mean Swarm's own default; 1 for a job of no replicas asks nothing odd.
        this.replicatedJob = Map.of("MaxConcurrent", (long) Math.max(1, replicas), "TotalCompletions", (long) replicas);
    }

    public long maxConcurrent() {
        return replicatedJob.get("MaxConcurrent");
    }

    public long totalCompletions() {
        return replicatedJob.get("TotalCompletions");
    }
}
