package dev.berth.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.desired.ResolvedService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import dev.berth.resolve.ResolveException;

/** When a rollout checks the kept revision's image, and what becomes of the record. */
class RollbackImageTest {
    static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
    static final Instant NOW = T0.plusSeconds(5);

    /** Rollout from revision 1 to the manifest's revision 2, in {@code state}. */
    static RolloutRecord record(RolloutState state, RolloutState pausedFrom) {
        return new RolloutRecord(state, "h1", 1, "h2", 2, T0, null, "rollback to revision 1 requested", Set.of(), pausedFrom);
    }

    @ParameterizedTest(name = "{0} (paused from {1}), image {2} → {3}")
    @CsvSource(nullValues = "-", value = {
        // state        pausedFrom    image       outcome
        "ROLLING_BACK,  -,            there,      unchanged",
        "ROLLING_BACK,  -,            pulled,     unchanged",
        "ROLLING_BACK,  -,            lost,       PAUSED",
        "ROLLING_BACK,  -,            pullFails,  error",
        "ROLLED_BACK,   -,            there,      unchanged",
        "ROLLED_BACK,   -,            lost,       error",
        "ROLLED_BACK,   -,            pullFails,  error",
        // The target is the manifest's revision (its image was just resolved), or no step is taken: no check.
        "PROGRESSING,   -,            lost,       unchecked",
        "COMPLETE,      -,            lost,       unchecked",
        "FAILED,        -,            lost,       unchecked",
        "PAUSED,        ROLLING_BACK, lost,       unchecked",
        "PAUSED,        -,            lost,       unchecked",
    })
    void table(RolloutState state, RolloutState pausedFrom, String image, String outcome) throws Exception {
        RolloutRecord rec = record(state, pausedFrom);
        List<Integer> asked = new ArrayList<>();
        RollbackImage.Restorer restorer = kept -> {
            asked.add(kept.revision());
            return switch (image) {
                case "there", "pulled" -> null;
                case "lost" -> "its image sha256:1 is no longer on the host and has no registry digest";
                default -> throw new ResolveException("cannot restore revision 1: pull …: connection refused");
            };
        };
        Optional<ResolvedService> kept = Optional.of(RolloutControllerTest.rev(1));
        ResolvedService manifest = RolloutControllerTest.rev(2);
        switch (outcome) {
            case "unchanged", "unchecked" -> {
                assertThat(RollbackImage.check(rec, manifest, kept, restorer, NOW)).isSameAs(rec);
                assertThat(asked).isEqualTo(outcome.equals("unchanged") ? List.of(1) : List.of());
            }
            case "PAUSED" -> {
                RolloutRecord next = RollbackImage.check(rec, manifest, kept, restorer, NOW);
                assertThat(next.state()).isEqualTo(RolloutState.PAUSED);
                assertThat(next.pausedFrom()).as("a failure, not an operator's pause").isNull();
                assertThat(next.reason()).isEqualTo("rollback failed: cannot restore revision 1: its image sha256:1"
                        + " is no longer on the host and has no registry digest");
                assertThat(next.targetHash()).as("stays on what runs: the manifest's revision").isEqualTo("h2");
            }
            case "error" -> assertThatThrownBy(() -> RollbackImage.check(rec, manifest, kept, restorer, NOW))
                    .isInstanceOf(ResolveException.class).hasMessageContaining("cannot restore revision 1");
            default -> throw new IllegalArgumentException(outcome);
        }
    }

    @ParameterizedTest
    @CsvSource({"ROLLING_BACK", "ROLLED_BACK"})
    void aTargetThatIsTheManifestsOwnRevisionIsNotChecked(RolloutState state) throws Exception {
        // A rollback "to" the manifest's revision (from a hold on another one): its image was just resolved.
        RolloutRecord rec = new RolloutRecord(state, "h2", 2, "h2", 2, T0, null, "rollback to revision 2", Set.of(), null);
        RolloutRecord next = RollbackImage.check(rec, RolloutControllerTest.rev(2), Optional.empty(),
                kept -> { throw new AssertionError("not to be asked"); }, NOW);
        assertThat(next).isSameAs(rec);
    }
}
