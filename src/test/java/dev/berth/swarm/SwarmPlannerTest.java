package dev.berth.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.Labels;
import dev.berth.swarm.SwarmView.LiveService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Swarm backend's decisions per service, as a table: what the manifest declares (its
 * template hash), what Swarm has (revision, hash, previous spec's revision and hash, update
 * state), and what Berth does.
 */
class SwarmPlannerTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static DeclaredService declared(String hash) {
        ObjectNode spec = JSON.createObjectNode().put("Name", "p_web");
        spec.withObject("/Labels").put(Labels.SPEC_HASH, hash).put(Labels.SERVICE, "web");
        spec.withObject("/TaskTemplate/ContainerSpec").put("Image", "app:" + hash)
                .withObject("/Labels").put(Labels.SPEC_HASH, hash);
        spec.withObject("/Mode/Replicated").put("Replicas", 2);
        return new DeclaredService("web", spec, hash);
    }

    /** Swarm's copy of a declared spec at a revision, with {@code edit} applied ("replicas=1", "image=x"). */
    static JsonNode stored(String hash, int revision, String edit) {
        ObjectNode s = declared(hash).at(revision);
        s.put("ForceUpdate", 0); // Swarm's own fields
        if (edit.startsWith("replicas=")) {
            s.withObject("/Mode/Replicated").put("Replicas", Integer.parseInt(edit.substring(9)));
        } else if (edit.startsWith("image=")) {
            s.withObject("/TaskTemplate/ContainerSpec").put("Image", edit.substring(6));
        }
        return s;
    }

    static LiveService live(String hash, int revision, String prevHash, int prevRevision, String state, String edit) {
        JsonNode prev = prevHash.isEmpty() ? null : stored(prevHash, prevRevision, "");
        return new LiveService("id1", 10, "web", stored(hash, revision, edit), prev, state, "", null, null);
    }

    static String describe(SwarmPlan p) {
        if (!p.holds().isEmpty()) {
            return "hold";
        }
        if (p.actions().isEmpty()) {
            return "nothing";
        }
        SwarmAction a = p.actions().get(0);
        if (a instanceof SwarmAction.Create c) {
            return "create r" + c.revision();
        }
        if (a instanceof SwarmAction.Update u) {
            return "update r" + u.revision() + (u.spec().path("Labels").path(Labels.REVISION).asText().equals(
                    Integer.toString(u.revision())) ? "" : " (label wrong)");
        }
        if (a instanceof SwarmAction.Rollback) {
            return "rollback";
        }
        return "remove";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # why                                             | declared | live hash | rev | prev hash | prev rev | update state       | edit      | command  | expected
            not there yet                                     | h1       | -         | 0   | -         | 0        | -                  | -         | -        | create r1
            converged                                         | h1       | h1        | 3   | h0        | 2        | completed          | -         | -        | nothing
            a new template                                    | h2       | h1        | 3   | h0        | 2        | completed          | -         | -        | update r4
            a new template after a rollback goes past both    | h3       | h1        | 3   | h2        | 4        | rollback_completed | -         | -        | update r5
            scaled by hand: put back, same revision           | h1       | h1        | 3   | -         | 0        | completed          | replicas=1 | -       | update r3
            image changed by hand: put back, same revision    | h1       | h1        | 3   | -         | 0        | completed          | image=evil | -       | update r3
            Swarm rolled back from the declared template      | h2       | h1        | 3   | h2        | 4        | rollback_completed | -         | -        | hold
            ...while rolling back too                         | h2       | h1        | 3   | h2        | 4        | rollback_started   | -         | -        | hold
            ...and a retry tries the template again           | h2       | h1        | 3   | h2        | 4        | rollback_completed | -         | retry    | update r5
            rolled back, then the manifest went back as well  | h1       | h1        | 3   | h2        | 4        | rollback_completed | -         | -        | nothing
            an update paused on failure holds                 | h2       | h2        | 4   | h1        | 3        | paused             | -         | -        | hold
            a rollback paused on failure holds                | h2       | h1        | 3   | h2        | 4        | rollback_paused    | -         | -        | hold
            a hand edit is not repaired while held            | h2       | h1        | 3   | h2        | 4        | rollback_completed | image=evil | -       | hold
            the operator's rollback                           | h2       | h2        | 4   | h1        | 3        | completed          | -         | rollback | rollback
            """)
    void rows(String why, String declaredHash, String liveHash, int rev, String prevHash, int prevRev, String state,
            String edit, String command, String expected) {
        Map<String, LiveService> services = new HashMap<>();
        if (liveHash != null) {
            services.put("web", live(liveHash, rev, prevHash == null ? "" : prevHash, prevRev, state,
                    edit == null ? "" : edit));
        }
        SwarmView view = new SwarmView(services, List.of(), Map.of(), Map.of(), Map.of(), Map.of());
        SwarmPlan p = SwarmPlanner.plan(Map.of("web", declared(declaredHash)), Set.of(),
                "retry".equals(command) ? Set.of("web") : Set.of(), "rollback".equals(command) ? Set.of("web") : Set.of(),
                view);
        assertThat(describe(p)).as(why).isEqualTo(expected);
    }

    @Test
    void aServiceNoLongerDeclaredIsRemovedUnlessItsFileIsHeld() {
        SwarmView view = new SwarmView(Map.of("web", live("h1", 1, "", 0, "", "")), List.of(), Map.of(), Map.of(),
                Map.of(), Map.of());
        assertThat(describe(SwarmPlanner.plan(Map.of(), Set.of(), Set.of(), Set.of(), view))).isEqualTo("remove");
        assertThat(describe(SwarmPlanner.plan(Map.of(), Set.of("web"), Set.of(), Set.of(), view))).isEqualTo("nothing");
    }

    @Test
    void aHeldServiceIsNeitherCreatedNorUpdated() {
        SwarmView empty = new SwarmView(Map.of(), List.of(), Map.of(), Map.of(), Map.of(), Map.of());
        assertThat(describe(SwarmPlanner.plan(Map.of("web", declared("h1")), Set.of("web"), Set.of(), Set.of(), empty)))
                .isEqualTo("nothing");
    }

    /**
     * An engine that drops a field Berth sends (20.10 and Privileges.NoNewPrivileges): the pass
     * after Berth's own write learns the field instead of updating the service on every pass.
     */
    @Test
    void aFieldTheManagerDropsRightAfterBerthsWriteIsLearntNotRepairedForEver() {
        DeclaredService d = declared("h1");
        ObjectNode withExtra = d.spec().deepCopy();
        withExtra.withObject("/TaskTemplate/ContainerSpec/Privileges").put("NoNewPrivileges", true);
        DeclaredService sent = new DeclaredService("web", withExtra, "h1");
        SwarmView view = new SwarmView(Map.of("web", live("h1", 1, "", 0, "completed", "")), List.of(), Map.of(),
                Map.of(), Map.of(), Map.of());

        SwarmPlan afterOwnWrite = SwarmPlanner.plan(Map.of("web", sent), Set.of(), Set.of(), Set.of(), view, Set.of(),
                Set.of("web"));
        assertThat(afterOwnWrite.actions()).isEmpty();
        assertThat(afterOwnWrite.unkept()).containsExactly("TaskTemplate.ContainerSpec.Privileges.NoNewPrivileges");

        SwarmPlan later = SwarmPlanner.plan(Map.of("web", sent), Set.of(), Set.of(), Set.of(), view,
                afterOwnWrite.unkept(), Set.of());
        assertThat(later.actions()).isEmpty();

        SwarmPlan notLearnt = SwarmPlanner.plan(Map.of("web", sent), Set.of(), Set.of(), Set.of(), view, Set.of(),
                Set.of());
        assertThat(describe(notLearnt)).as("without the learnt field: a repair").isEqualTo("update r1");
    }
}
