package dev.berth.swarm;

import static dev.berth.swarm.SwarmPlannerTest.declared;
import static dev.berth.swarm.SwarmPlannerTest.stored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.Labels;
import dev.berth.swarm.SwarmView.LiveObject;
import dev.berth.swarm.SwarmView.LiveService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rollback to a kept revision on Swarm: where a REST rollback goes, the spec it sends, that the
 * planner then holds it, and which templates are kept and dropped.
 */
class SwarmRevisionsTest {

    /** A kept template of the declared spec with {@code hash} at {@code revision}. */
    static KeptTemplate kept(String hash, int revision) {
        return kept(hash, revision, stored(hash, revision, "").toString());
    }

    static KeptTemplate kept(String hash, int revision, String content) {
        return new KeptTemplate("web", revision, hash, "app:" + hash, "cfg" + revision, "p_web.r" + revision + "_x", null,
                Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** "1:h1,2:h2" → kept templates. */
    static List<KeptTemplate> keptList(String spec) {
        List<KeptTemplate> out = new ArrayList<>();
        for (String k : spec.split(",")) {
            String[] f = k.split(":");
            out.add(kept(f[1], Integer.parseInt(f[0])));
        }
        return out;
    }

    static LiveService live(String hash, int revision, String prev, String state, String edit) {
        JsonNode previous = null;
        if (!prev.equals("-")) {
            String[] p = prev.split("/");
            previous = stored(p[0], Integer.parseInt(p[1]), "");
        }
        return new LiveService("id1", 10, "web", stored(hash, revision, edit), previous, state, "", null, null);
    }

    static String describe(SwarmRevisions.Target t) {
        if (t instanceof SwarmRevisions.Target.Previous p) {
            return "previous " + p.revision();
        }
        if (t instanceof SwarmRevisions.Target.Kept k) {
            return "kept " + k.template().revision();
        }
        SwarmRevisions.Target.Refused r = (SwarmRevisions.Target.Refused) t;
        return r.status() + " " + r.reason();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # why                                       | live  | previous | state             | mark  | declared | kept                | asked | expected
        after an update: Swarm's previous spec      | h3/3  | h2/2     | completed         |       | h3       | 1:h1,2:h2,3:h3      |       | previous 2
        named previous: Swarm's own rollback        | h3/3  | h2/2     | completed         |       | h3       | 1:h1,2:h2,3:h3      | 2     | previous 2
        named older: its kept template              | h3/3  | h2/2     | completed         |       | h3       | 1:h1,2:h2,3:h3      | 1     | kept 1
        named running                               | h3/3  | h2/2     | completed         |       | h3       | 1:h1,2:h2,3:h3      | 3     | 409 web already runs revision 3
        named, not kept                             | h3/3  | h2/2     | completed         |       | h3       | 1:h1,2:h2,3:h3      | 7     | 404 revision 7 of web is not kept (kept: [1, 2, 3])
        rolled back already: the next older kept    | h2/2  | h3/3     | rollback_completed| h3/3  | h3       | 1:h1,2:h2,3:h3      |       | kept 1
        rolled back, named the manifest's own       | h2/2  | h3/3     | rollback_completed| h3/3  | h3       | 1:h1,2:h2,3:h3      | 3     | 409 revision 3 of web has the manifest's own template: ask for a retry instead
        repaired: previous is the same revision     | h3/3  | h3/3     | completed         |       | h3       | 1:h1,2:h2,3:h3      |       | kept 2
        restarted: previous is the same template    | h3/4  | h3/3     | completed         |       | h3       | 1:h1,2:h2,3:h3,4:h3 |       | kept 2
        restarted, named the template before it     | h3/4  | h3/3     | completed         |       | h3       | 1:h1,2:h2,3:h3,4:h3 | 3     | 409 web already runs the template of revision 3 (as revision 4)
        only one revision ever                      | h1/1  | -        | completed         |       | h1       | 1:h1                |       | 409 web has no earlier kept revision to roll back to (kept: [1])
        a rollback to a kept one is held: further   | h1/1  | h3/3     | completed         | h3/3  | h3       | 1:h1,2:h2,3:h3      |       | 409 web has no earlier kept revision to roll back to (kept: [1, 2, 3])
        a rollback to a kept one, named another     | h1/1  | h3/3     | completed         | h3/3  | h3       | 1:h1,2:h2,3:h3      | 2     | kept 2
        """)
    void aRollbackGoesTo(String why, String liveAt, String prev, String state, String mark, String declaredHash,
            String kept, Integer asked, String expected) {
        String[] l = liveAt.split("/");
        LiveService live = live(l[0], Integer.parseInt(l[1]), prev, state.strip(), mark == null ? "" : "from=" + mark);
        SwarmView view = new SwarmView(Map.of("web", live), List.of(), Map.of(), Map.of(), Map.of(), Map.of());
        assertThat(describe(SwarmRevisions.target(live, declared(declaredHash), keptList(kept), asked, view))).as(why)
                .isEqualTo(expected);
    }

    @Test
    void aTemplateWhoseObjectsAreGoneOrThatIsNotASpecIsRefused() {
        LiveService live = live("h3", 3, "h2/2", "completed", "");
        ObjectNode withSecret = (ObjectNode) stored("h1", 1, "");
        withSecret.withObject("/TaskTemplate/ContainerSpec").withArray("Secrets").addObject().put("SecretName", "p_token_abc");
        SwarmView view = new SwarmView(Map.of("web", live), List.of(), Map.of(), Map.of(), Map.of(), Map.of());
        assertThat(describe(SwarmRevisions.target(live, declared("h3"), List.of(kept("h1", 1, withSecret.toString())), 1,
                view))).isEqualTo("409 revision 1 of web cannot be restored: it uses secret p_token_abc, which no longer exists");

        SwarmView withIt = new SwarmView(Map.of("web", live), List.of(), Map.of(),
                Map.of("p_token_abc", new LiveObject("s1", "p_token_abc", Map.of())), Map.of(), Map.of());
        assertThat(describe(SwarmRevisions.target(live, declared("h3"), List.of(kept("h1", 1, withSecret.toString())), 1,
                withIt))).isEqualTo("kept 1");

        assertThat(describe(SwarmRevisions.target(live, declared("h3"), List.of(kept("h1", 1, "not json {")), 1, view)))
                .isEqualTo("409 revision 1 of web cannot be restored: config object p_web.r1_x does not hold a service spec");
        assertThat(describe(SwarmRevisions.target(live, declared("h3"), List.of(kept("h1", 1, "{\"Name\":\"x\"}")), 1, view)))
                .as("JSON, but no task template").contains("does not hold a service spec");
    }

    /**
     * The whole way: the rollback sends the kept template with the manifest's service settings,
     * marked; the planner holds that (no roll forward to the manifest's template) until the
     * manifest changes, which gets a number past every kept one.
     */
    @Test
    void aRollbackToAKeptRevisionIsHeldUntilTheManifestChanges() {
        LiveService live = live("h3", 3, "h2/2", "completed", "replicas=5");
        List<KeptTemplate> kept = keptList("1:h1,2:h2,3:h3");
        SwarmView view = new SwarmView(Map.of("web", live), List.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                Map.of("web", kept));
        SwarmPlan p = SwarmPlanner.plan(Map.of("web", declared("h3")), Set.of(),
                new OperatorRequests(Set.of(), Map.of("web", kept.get(0)), Set.of(), Set.of()), view);
        assertThat(p.actions()).hasSize(1).first().isInstanceOf(SwarmAction.RollbackTo.class);
        JsonNode sent = ((SwarmAction.RollbackTo) p.actions().get(0)).spec();
        assertThat(sent.path("TaskTemplate").path("ContainerSpec").path("Image").asText()).isEqualTo("app:h1");
        assertThat(sent.path("Labels").path(Labels.SPEC_HASH).asText()).isEqualTo("h1");
        assertThat(sent.path("Labels").path(Labels.REVISION).asText()).isEqualTo("1");
        assertThat(sent.path("TaskTemplate").path("ContainerSpec").path("Labels").path(Labels.REVISION).asText()).isEqualTo("1");
        assertThat(sent.path("Labels").path(Labels.ROLLED_BACK_FROM).asText()).isEqualTo("h3");
        assertThat(sent.path("Labels").path(Labels.ROLLED_BACK_REVISION).asText()).isEqualTo("3");
        assertThat(sent.path("Mode").path("Replicated").path("Replicas").asInt()).as("the manifest's replicas").isEqualTo(2);

        LiveService after = new LiveService("id1", 11, "web", sent, live.spec(), "completed", "", null, null);
        SwarmView then = new SwarmView(Map.of("web", after), List.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                Map.of("web", kept));
        SwarmPlan held = SwarmPlanner.plan(Map.of("web", declared("h3")), Set.of(), OperatorRequests.NONE, then);
        assertThat(held.actions()).isEmpty();
        assertThat(held.holds().get("web").kind()).isEqualTo(SwarmHold.Kind.ROLLED_BACK);
        assertThat(held.holds().get("web").reason()).startsWith("rolled back from revision 3 to 1");

        SwarmPlan changed = SwarmPlanner.plan(Map.of("web", declared("h4")), Set.of(), OperatorRequests.NONE, then);
        assertThat(changed.actions()).singleElement().isInstanceOfSatisfying(SwarmAction.Update.class,
                u -> assertThat(u.revision()).isEqualTo(4));
    }

    @Test
    void theNextRevisionIsPastEveryKeptOne() {
        LiveService live = live("h2", 2, "h1/1", "completed", "");
        assertThat(SwarmPlanner.nextRevision(live, keptList("1:h1,2:h2,7:h7"))).isEqualTo(8);
        assertThat(SwarmPlanner.nextRevision(live, List.of())).isEqualTo(3);
    }

    @Test
    void whatSwarmAcceptedIsKeptAndARunningTemplateWithoutOneIsKeptFromTheManifest() {
        DeclaredService web = declared("h3");
        DeclaredService api = new DeclaredService("api", stored("h9", 1, "").deepCopy(), "h9");
        SwarmView view = new SwarmView(Map.of("web", live("h3", 3, "h2/2", "completed", "")), List.of(), Map.of(),
                Map.of(), Map.of(), Map.of(), Map.of("web", keptList("2:h2")));
        List<SwarmRevisions.Keep> keep = SwarmRevisions.toKeep(List.of(new SwarmAction.Create("api", 1, api.at(1))),
                Map.of("web", web, "api", api), view);
        assertThat(keep).extracting(k -> k.service() + " " + k.revision() + " " + k.hash())
                .containsExactlyInAnyOrder("api 1 h9", "web 3 h3");

        SwarmView keptAlready = new SwarmView(view.services(), List.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                Map.of("web", keptList("2:h2,3:h3")));
        assertThat(SwarmRevisions.toKeep(List.of(), Map.of("web", web), keptAlready)).isEmpty();
        assertThat(SwarmRevisions.toKeep(List.of(), Map.of("web", declared("h4")), view))
                .as("running another template than the manifest's (being updated, or rolled back): not kept from the manifest")
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # why                                   | kept                                  | live  | prev | limit | held | dropped
        within the limit                        | 1:h1,2:h2,3:h3                        | 3     | 2    | 10    |      | []
        past the limit: the oldest go           | 1:h1,2:h2,3:h3,4:h4                   | 4     | 3    | 2     |      | [1, 2]
        running and previous stay past it       | 1:h1,2:h2,3:h3,4:h4                   | 1     | 4    | 1     |      | [2, 3]
        a service gone: all of it               | 1:h1,2:h2                             | 0     | 0    | -1    |      | [1, 2]
        undeclared but held: nothing            | 1:h1,2:h2                             | 2     | 1    | -1    | web  | []
        undeclared, not removed yet: nothing    | 1:h1,2:h2                             | 2     | 1    | -1    |      | []
        """)
    void keptTemplatesDropped(String why, String kept, int liveRevision, int prevRevision, int limit, String held,
            String dropped) {
        Map<String, LiveService> services = liveRevision == 0 ? Map.of()
                : Map.of("web", live("h" + liveRevision, liveRevision, "h" + prevRevision + "/" + prevRevision, "completed", ""));
        SwarmView view = new SwarmView(services, List.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                Map.of("web", keptList(kept)));
        Map<String, Integer> limits = limit < 0 ? Map.of() : Map.of("web", limit);
        assertThat(SwarmRevisions.toDrop(view, limits, held == null ? Set.of() : Set.of(held)).stream()
                .map(KeptTemplate::revision).sorted().toList()).as(why).hasToString(dropped);
    }

    @Test
    void aListedConfigIsAKeptTemplateOnlyWithItsLabels() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        JsonNode kept = json.readTree("{\"ID\":\"c1\",\"CreatedAt\":\"2026-12-04T18:20:53.713337564Z\",\"Spec\":{\"Name\":"
                + "\"p_web.r2_abc\",\"Labels\":{\"" + Labels.TEMPLATE_OF + "\":\"web\",\"" + Labels.REVISION + "\":\"2\",\""
                + Labels.SPEC_HASH + "\":\"h2\"},\"Data\":\"e30=\"}}");
        JsonNode file = json.readTree("{\"ID\":\"c2\",\"Spec\":{\"Name\":\"p_nginx.conf_abc\",\"Labels\":{},\"Data\":\"eA==\"}}");
        SwarmView view = SwarmView.of(List.of(), List.of(), List.of(), List.of(), List.of(kept, file), List.of());
        assertThat(view.configs()).containsOnlyKeys("p_nginx.conf_abc");
        assertThat(view.kept("web")).singleElement().satisfies(k -> {
            assertThat(k.revision()).isEqualTo(2);
            assertThat(k.hash()).isEqualTo("h2");
            assertThat(k.createdAt()).isEqualTo(java.time.Instant.parse("2026-12-04T18:20:53.713337564Z"));
        });
    }
}
