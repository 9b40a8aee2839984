package dev.berth.swarm;

import com.github.dockerjava.api.model.UpdateConfig;
import com.github.dockerjava.api.model.UpdateFailureAction;
import com.github.dockerjava.api.model.UpdateOrder;
import dev.berth.desired.ServiceSpec;
import dev.berth.desired.UpdatePolicy;

/**
 * The manifest's {@code update} as Swarm's {@code UpdateConfig} and {@code RollbackConfig}.
 *
 * <p>Swarm replaces {@code parallelism} tasks at a time: with {@code start-first} each new task
 * starts (and turns healthy) before its old one stops, so the batch is the surge and nothing is
 * unavailable; with {@code stop-first} the batch is what is unavailable. So a start-first policy
 * takes its parallelism from {@code maxSurge} (rounded up, as Berth does) and a stop-first one from
 * {@code maxUnavailable} (rounded down). Worked example: 10 replicas, {@code maxSurge: 25%} →
 * start-first, 3 at a time. A start-first policy whose surge is 0 is stop-first, as on one host
 * (Kubernetes makes the unavailable count at least 1 then). Parallelism is at least 1: Swarm reads
 * 0 as all tasks at once.
 *
 * <p>{@code minReadySeconds} → {@code Delay}: after a batch is up Swarm waits this long before the
 * next, as Berth counts a new replica only after it was ready that long. {@code Monitor} is the
 * longer of {@code monitorSeconds} and {@code minReadySeconds}: a task that fails within it fails
 * the update ({@code MaxFailureRatio} 0: any failure, as one new replica failing fails a rollout on
 * one host). Host-mode ports are always stop-first (a new task on the same node could not bind the
 * port). Jobs get no update config: a job's new spec runs it again.
 *
 * <p>The rollback uses the same batches and timing; a rollback that fails pauses (Berth never rolls
 * back a rollback). {@code progressDeadlineSeconds} and {@code drainSeconds} have no Swarm field:
 * the deadline is Berth's own on top, drain is not carried over (docs/swarm.md).
 */
final class SwarmUpdates {
    private SwarmUpdates() {}

    static UpdateConfig update(ServiceSpec s) {
        UpdatePolicy u = s.update();
        return batches(s).withFailureAction(u.failureAction() == UpdatePolicy.FailureAction.ROLLBACK
                ? UpdateFailureAction.ROLLBACK : UpdateFailureAction.PAUSE);
    }

    static UpdateConfig rollback(ServiceSpec s) {
        return batches(s).withFailureAction(UpdateFailureAction.PAUSE);
    }

    private static UpdateConfig batches(ServiceSpec s) {
        UpdatePolicy u = s.update();
        int surge = u.maxSurge().resolve(s.replicas(), true);
        boolean startFirst = u.order() == UpdatePolicy.Order.START_FIRST && !s.hasHostPorts() && surge > 0;
        int batch = startFirst ? surge : u.maxUnavailable().resolve(s.replicas(), false);
        long minReady = u.minReady().toNanos();
        return new UpdateConfig()
                .withParallelism((long) Math.max(1, batch))
                .withOrder(startFirst ? UpdateOrder.START_FIRST : UpdateOrder.STOP_FIRST)
                .withDelay(minReady)
                .withMonitor(Math.max(u.monitor().toNanos(), minReady))
                .withMaxFailureRatio(0f);
    }
}
