package dev.berth.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.desired.DesiredState;
import dev.berth.events.EventLog;
import dev.berth.plan.Fixtures;
import dev.berth.rollout.Command;
import dev.berth.rollout.CommandRejected;
import dev.berth.rollout.RolloutRecord;
import dev.berth.rollout.RolloutState;
import dev.berth.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Restart commands against a real state store: which are refused, and what an accepted one changes. */
class RestartCommandsTest {
    static final Instant T = Instant.parse("2026-01-01T12:00:00Z");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1} on a {2} service → {3}")
    @CsvSource({
            // command, service, the service's state, outcome (status or "accepted"/"left"), message part, generation after
            "restart,  web,   fresh,       accepted, '',                              1",
            "restart,  web,   complete,    accepted, '',                              1",
            "restart,  ghost, fresh,       404,      no service named 'ghost',        0",
            "rollback, ghost, fresh,       404,      no service named 'ghost',        0",
            "restart,  web,   paused,      409,      web is paused,                   0",
            "restart,  web,   rolledBack,  409,      held on revision 1 by a rollback, 0",
            "restart,  web,   unreadable,  409,      web cannot be restarted,         0",
            "rollback, web,   complete,    left,     '',                              0",
    })
    void restartCommands(String command, String service, String stateOf, String outcome, String message,
            int generation) throws Exception {
        StateStore state = new StateStore(dir);
        switch (stateOf) {
            case "complete" -> state.rollout("web", record(RolloutState.COMPLETE, null));
            case "paused" -> state.rollout("web", record(RolloutState.PAUSED, RolloutState.PROGRESSING));
            case "rolledBack" -> state.rollout("web", record(RolloutState.ROLLED_BACK, null));
            case "unreadable" -> Files.writeString(state.file("web"), "{ not json");
            default -> { }
        }
        EventLog events = new EventLog(100);
        Command c = command.equals("restart") ? new Command.Restart(service, "alice")
                : new Command.Rollback(service, null, "alice");
        CompletableFuture<Void> done = new CompletableFuture<>();
        DesiredState desired = new DesiredState(Map.of("web", Fixtures.spec("web", 2)), Map.of(), Map.of(), Set.of());

        new RestartCommands(state, events).apply(desired, List.of(new PendingCommand(c, done)));

        switch (outcome) {
            case "accepted" -> {
                assertThat(done).isNotDone(); // completed once the pass has published
                assertThat(events.list("web")).anyMatch(e -> e.reason().equals("RestartRequested"));
            }
            case "left" -> assertThat(done).isNotDone(); // a rollout command: RolloutSteps applies it
            default -> {
                assertThat(done).isCompletedExceptionally();
                try {
                    done.get();
                } catch (ExecutionException e) {
                    CommandRejected r = (CommandRejected) e.getCause();
                    assertThat(r.status()).isEqualTo(Integer.parseInt(outcome));
                    assertThat(r.getMessage()).contains(message);
                }
            }
        }
        if (!stateOf.equals("unreadable")) {
            assertThat(state.restartGeneration("web")).isEqualTo(generation);
        }
    }

    static RolloutRecord record(RolloutState s, RolloutState pausedFrom) {
        return new RolloutRecord(s, "h1", 1, "h2", 2, T, null, "x", Set.of(), pausedFrom);
    }
}
