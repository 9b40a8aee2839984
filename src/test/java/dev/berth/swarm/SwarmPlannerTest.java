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
    static final java.time.Instant NOW = java.time.Instant.parse("2026-12-04T12:00:00Z");

    static DeclaredService declared(String hash) {
        ObjectNode spec = JSON.createObjectNode().put("Name", "p_web");
        spec.withObject("/Labels").put(Labels.SPEC_HASH, hash).put(Labels.SERVICE, "web");
        spec.withObject("/TaskTemplate/ContainerSpec").put("Image", "app:" + hash)
                .withObject("/Labels").put(Labels.SPEC_HASH, hash);
        spec.withObject("/Mode/Replicated").put("Replicas", 2);
        return new DeclaredService("web", spec, hash);
    }

    /** Swarm's copy of a declared spec at a revision, with edits applied ("replicas=1;image=x", "from=h2/4": marked). */
    static JsonNode stored(String hash, int revision, String edit) {
        ObjectNode s = declared(hash).at(revision);
        s.put("ForceUpdate", 0); // Swarm's own fields
        for (String e : edit.split(";")) {
            if (e.startsWith("replicas=")) {
                s.withObject("/Mode/Replicated").put("Replicas", Integer.parseInt(e.substring(9)));
            } else if (e.startsWith("image=")) {
                s.withObject("/TaskTemplate/ContainerSpec").put("Image", e.substring(6));
            } else if (e.startsWith("from=")) { // marked: rolled back from hash/revision
                String[] f = e.substring(5).split("/");
                s.withObject("/Labels").put(Labels.ROLLED_BACK_FROM, f[0]).put(Labels.ROLLED_BACK_REVISION, f[1]);
            }
        }
        return s;
    }

    static LiveService live(String hash, int revision, String prevHash, int prevRevision, String state, String edit) {
        JsonNode prev = prevHash.isEmpty() ? null : stored(prevHash, prevRevision, "");
        return new LiveService("id1", 10, "web", stored(hash, revision, edit), prev, state, "", null, null);
    }

    static String describe(SwarmPlan p) {
        if (!p.holds().isEmpty()) {
            String kind = p.holds().values().iterator().next().kind().name().toLowerCase();
            return p.actions().isEmpty() ? "hold " + kind
                    : "hold " + kind + " + mark " + marks((SwarmAction.MarkRolledBack) p.actions().get(0));
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

    static String marks(SwarmAction.MarkRolledBack m) {
        JsonNode l = m.spec().path("Labels");
        return l.path(Labels.ROLLED_BACK_FROM).asText() + "/" + l.path(Labels.ROLLED_BACK_REVISION).asText();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # why                                             | declared | live hash | rev | prev hash | prev rev | update state       | edit      | command  | expected
            not there yet                                     | h1       | -         | 0   | -         | 0        | -                  | -         | -        | create r1
            converged                                         | h1       | h1        | 3   | h0        | 2        | completed          | -         | -        | nothing
            a new template                                    | h2       | h1        | 3   | h0        | 2        | completed          | -         | -        | update r4
            back to Swarm's previous template: its number     | h0       | h1        | 3   | h0        | 2        | completed          | -         | -        | update r2
            scaled by hand: put back, same revision           | h1       | h1        | 3   | -         | 0        | completed          | replicas=1 | -       | update r3
            image changed by hand: put back, same revision    | h1       | h1        | 3   | -         | 0        | completed          | image=evil | -       | update r3
            Swarm is rolling back                             | h2       | h1        | 3   | -         | 0        | rollback_started   | -         | -        | hold rolling_back
            Swarm rolled back and forgot from what: mark      | h2       | h1        | 3   | -         | 0        | rollback_completed | -         | -        | hold rolled_back + mark h2/4
            ...from its previous spec, the number it had      | h2       | h1        | 3   | h2        | 7        | rollback_completed | -         | -        | hold rolled_back + mark h2/7
            marked from the declared template: held           | h2       | h1        | 3   | h1        | 3        | completed          | from=h2/4 | -        | hold rolled_back
            ...a hand edit is not repaired while held         | h2       | h1        | 3   | -         | 0        | completed          | from=h2/4;image=evil | - | hold rolled_back
            ...a retry tries the template again, its number   | h2       | h1        | 3   | h1        | 3        | completed          | from=h2/4 | retry    | update r4
            ...a changed manifest is a new revision past it   | h3       | h1        | 3   | h1        | 3        | completed          | from=h2/4 | -        | update r5
            ...and a manifest back at the live template       | h1       | h1        | 3   | h1        | 3        | completed          | from=h2/4 | -        | nothing
            rolled back to the declared template (a revert)   | h1       | h1        | 3   | -         | 0        | rollback_completed | -         | -        | nothing
            a retry right after Swarm's rollback              | h2       | h1        | 3   | -         | 0        | rollback_completed | -         | retry    | update r4
            an update paused on failure holds                 | h2       | h2        | 4   | h1        | 3        | paused             | -         | -        | hold paused
            a rollback paused on failure holds                | h2       | h1        | 3   | h2        | 4        | rollback_paused    | -         | -        | hold paused
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
        SwarmPlan p = SwarmPlanner.plan(Map.of("web", declared(declaredHash)), Set.of(), new OperatorRequests(
                "rollback".equals(command) ? Set.of("web") : Set.of(), Map.of(), "retry".equals(command) ? Set.of("web") : Set.of(),
                "restart".equals(command) ? Set.of("web") : Set.of()), view);
        assertThat(describe(p)).as(why).isEqualTo(expected);
    }

    /**
     * A manifest back at a template Swarm no longer keeps but Berth does (a kept template) gets its
     * number again, as on one host; a restart's revision shares the template, and the newest wins.
     */
    @Test
    void aManifestBackAtAKeptTemplateGetsItsNumberAgain() {
        LiveService l = live("h2", 5, "h4", 4, "completed", "");
        SwarmView view = new SwarmView(Map.of("web", l), List.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                Map.of("web", List.of(SwarmRevisionsTest.kept("h1", 1), SwarmRevisionsTest.kept("h1", 3),
                        SwarmRevisionsTest.kept("h9", 6))));
        assertThat(describe(SwarmPlanner.plan(Map.of("web", declared("h1")), Set.of(), OperatorRequests.NONE, view)))
                .isEqualTo("update r3");
        assertThat(describe(SwarmPlanner.plan(Map.of("web", declared("h8")), Set.of(), OperatorRequests.NONE, view)))
                .as("a template never seen: past every kept number").isEqualTo("update r7");
    }

    /** What a rollback is marked as being from: the template Berth last sent, when it remembers. */
    @Test
    void aRollbackIsMarkedAsFromTheTemplateBerthLastSent() {
        SwarmView view = new SwarmView(Map.of("web", live("h1", 3, "", 0, "rollback_completed", "")), List.of(),
                Map.of(), Map.of(), Map.of(), Map.of());
        SwarmPlan p = SwarmPlanner.plan(Map.of("web", declared("h9")), Set.of(), OperatorRequests.NONE, view, Set.of(),
                Set.of(), Map.of("web", new SwarmPlanner.Sent("h2", 4)), NOW);
        assertThat(marks((SwarmAction.MarkRolledBack) p.actions().get(0))).isEqualTo("h2/4");
        assertThat(p.holds()).as("held as rolled back; the next pass compares h9 with the mark").hasSize(1);
    }

    @Test
    void aRestartIsANewRevisionWithSwarmsForceUpdateCounterRaised() {
        LiveService l = live("h1", 3, "h0", 2, "completed", "");
        SwarmView view = new SwarmView(Map.of("web", l), List.of(), Map.of(), Map.of(), Map.of(), Map.of());
        OperatorRequests restart = new OperatorRequests(Set.of(), Map.of(), Set.of(), Set.of("web"));
        SwarmPlan p = SwarmPlanner.plan(Map.of("web", declared("h1")), Set.of(), restart, view);
        var update = (SwarmAction.Update) p.actions().get(0);
        assertThat(update.revision()).isEqualTo(4);
        assertThat(update.spec().path("TaskTemplate").path("ForceUpdate").asLong()).isEqualTo(1);
        assertThat(update.spec().path("Labels").path(Labels.SPEC_HASH).asText()).as("same template").isEqualTo("h1");
        assertThat(p.refused()).isEmpty();
    }

    /** A restart the pass cannot carry out is refused with the reason the caller gets. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", delimiter = '|', textBlock = """
            the pass's own update comes first | h2 | h1 | completed          | -   | web cannot be restarted now: this pass updates it first
            not created yet                   | h1 | -  | -                  | -   | web cannot be restarted now: the Swarm service is not created yet
            its manifest has problems         | h1 | h1 | completed          | web | web cannot be restarted now: held: its manifest has problems
            Swarm rolls it back               | h1 | h1 | rollback_started   | -   | web cannot be restarted now: held: Swarm is rolling back
            """)
    void aRestartThatCannotBeCarriedOutIsRefused(String why, String declaredHash, String liveHash, String state,
            String held, String refusal) {
        Map<String, LiveService> services = new HashMap<>();
        if (liveHash != null) {
            services.put("web", live(liveHash, 3, "h0", 2, state, ""));
        }
        SwarmView view = new SwarmView(services, List.of(), Map.of(), Map.of(), Map.of(), Map.of());
        Map<String, DeclaredService> declared = held == null ? Map.of("web", declared(declaredHash)) : Map.of();
        SwarmPlan p = SwarmPlanner.plan(declared, held == null ? Set.of() : Set.of(held),
                new OperatorRequests(Set.of(), Map.of(), Set.of(), Set.of("web")), view);
        assertThat(p.refused()).as(why).containsEntry("web", refusal);
        assertThat(p.actions()).as(why).noneMatch(a -> a instanceof SwarmAction.Update u && u.reason().equals("restart requested"));
    }

    /** dependsOn on Swarm: a service is created once its dependency's condition holds. */
    @ParameterizedTest(name = "{0} {1}, dependency tasks [{2}]: {3}")
    @CsvSource(nullValues = "-", delimiter = '|', textBlock = """
            started   | db   | -                         | waiting for db to start (dependsOn)
            started   | db   | 1:starting                | waiting for db to start (dependsOn)
            started   | db   | 1:running                 | create r1
            healthy   | db   | 1:starting 1:running       | create r1
            healthy   | db   | 0:running                 | waiting for db to be healthy (dependsOn)
            completed | db   | 1:complete 1:running       | waiting for db to complete (dependsOn)
            completed | db   | 1:complete 1:complete      | create r1
            """)
    void aServiceWaitsForItsDependencies(String condition, String dep, String tasks, String expected) {
        var dependency = new dev.berth.desired.Dependency(dep,
                dev.berth.desired.Dependency.Condition.valueOf(condition.toUpperCase()));
        DeclaredService web = new DeclaredService("web", declared("h1").spec(), "h1", null, List.of(dependency));
        Map<String, LiveService> services = new HashMap<>();
        List<SwarmView.LiveTask> live = new java.util.ArrayList<>();
        if (tasks != null) {
            ObjectNode dbSpec = stored("d1", 1, "").deepCopy();
            if ("completed".equals(condition)) {
                dbSpec.remove("Mode");
                dbSpec.withObject("/Mode/ReplicatedJob").put("TotalCompletions", 2);
            }
            services.put("db", new LiveService("db1", 3, "db", dbSpec, null, "", "", null, null));
            int i = 0;
            for (String t : tasks.split(" ")) {
                String[] f = t.split(":"); // revision:state
                live.add(new SwarmView.LiveTask("t" + i, "db1", ++i, "n1", f[1],
                        "complete".equals(f[1]) ? "complete" : "running", Integer.parseInt(f[0]), "", null, "", null));
            }
        }
        SwarmView view = new SwarmView(services, live, Map.of(), Map.of(), Map.of(), Map.of());
        SwarmPlan p = SwarmPlanner.plan(Map.of("web", web), Set.of("db"), OperatorRequests.NONE, view);
        String got = p.holds().containsKey("web") ? p.holds().get("web").reason() : describe(p);
        assertThat(got).isEqualTo(expected);
    }

    /** progressDeadlineSeconds on Swarm: an update still running past it is rolled back by Berth. */
    @ParameterizedTest(name = "update started {0} s ago, deadline {1}: {2}")
    @CsvSource(nullValues = "-", textBlock = """
            10,  60, nothing
            61,  60, rollback
            600, -,  nothing
            """)
    void anUpdatePastItsDeadlineIsRolledBack(long agoSeconds, Long deadline, String expected) {
        DeclaredService d = new DeclaredService("web", declared("h2").spec(), "h2",
                deadline == null ? null : java.time.Duration.ofSeconds(deadline));
        LiveService l = new LiveService("id1", 10, "web", stored("h2", 4, ""), stored("h1", 3, ""), "updating", "",
                NOW.minusSeconds(agoSeconds), null);
        SwarmView view = new SwarmView(Map.of("web", l), List.of(), Map.of(), Map.of(), Map.of(), Map.of());
        SwarmPlan p = SwarmPlanner.plan(Map.of("web", d), Set.of(), OperatorRequests.NONE, view, Set.of(), Set.of(),
                Map.of(), NOW);
        assertThat(describe(p)).isEqualTo(expected);
    }

    @Test
    void aServiceNoLongerDeclaredIsRemovedUnlessItsFileIsHeld() {
        SwarmView view = new SwarmView(Map.of("web", live("h1", 1, "", 0, "", "")), List.of(), Map.of(), Map.of(),
                Map.of(), Map.of());
        assertThat(describe(SwarmPlanner.plan(Map.of(), Set.of(), OperatorRequests.NONE, view))).isEqualTo("remove");
        assertThat(describe(SwarmPlanner.plan(Map.of(), Set.of("web"), OperatorRequests.NONE, view))).isEqualTo("nothing");
    }

    @Test
    void aHeldServiceIsNeitherCreatedNorUpdated() {
        SwarmView empty = new SwarmView(Map.of(), List.of(), Map.of(), Map.of(), Map.of(), Map.of());
        assertThat(describe(SwarmPlanner.plan(Map.of("web", declared("h1")), Set.of("web"), OperatorRequests.NONE, empty)))
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

        SwarmPlan afterOwnWrite = SwarmPlanner.plan(Map.of("web", sent), Set.of(), OperatorRequests.NONE, view, Set.of(),
                Set.of("web"), Map.of(), NOW);
        assertThat(afterOwnWrite.actions()).isEmpty();
        assertThat(afterOwnWrite.unkept()).containsExactly("TaskTemplate.ContainerSpec.Privileges.NoNewPrivileges");

        SwarmPlan later = SwarmPlanner.plan(Map.of("web", sent), Set.of(), OperatorRequests.NONE, view,
                afterOwnWrite.unkept(), Set.of(), Map.of(), NOW);
        assertThat(later.actions()).isEmpty();

        SwarmPlan notLearnt = SwarmPlanner.plan(Map.of("web", sent), Set.of(), OperatorRequests.NONE, view, Set.of(),
                Set.of(), Map.of(), NOW);
        assertThat(describe(notLearnt)).as("without the learnt field: a repair").isEqualTo("update r1");
    }
}
