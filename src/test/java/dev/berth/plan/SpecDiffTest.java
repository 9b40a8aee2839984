package dev.berth.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.desired.IntOrPercent;
import dev.berth.desired.Resources;
import dev.berth.desired.ServiceSpec;
import dev.berth.desired.UpdatePolicy;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecDiffTest {
    static final ServiceSpec WEB = Fixtures.spec("web", 2);

    /** A copy of {@code s} with components replaced by name (the record has 25 of them). */
    static ServiceSpec with(ServiceSpec s, Map<String, Object> changes) {
        var comps = ServiceSpec.class.getRecordComponents();
        Object[] args = new Object[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        try {
            for (int i = 0; i < comps.length; i++) {
                types[i] = comps[i].getType();
                args[i] = changes.containsKey(comps[i].getName()) ? changes.get(comps[i].getName())
                        : comps[i].getAccessor().invoke(s);
            }
            return ServiceSpec.class.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static UnaryOperator<ServiceSpec> set(String field, Object value) {
        return s -> with(s, Map.of(field, value));
    }

    static Stream<Arguments> rows() {
        UpdatePolicy d = UpdatePolicy.DEFAULT;
        return Stream.of(
                // name, change, action, changes, replicas from→to (null: unchanged)
                Arguments.of("same spec", set("labels", Map.of()), "unchanged", List.of(), null),
                Arguments.of("moved to another file", set("source", "other.yaml"), "unchanged", List.of(), null),
                Arguments.of("image", set("image", "img:v2"), "update", List.of("image"), null),
                Arguments.of("replicas only", set("replicas", 3), "scale", List.of("replicas"), new int[] {2, 3}),
                Arguments.of("scale to zero", set("replicas", 0), "scale", List.of("replicas"), new int[] {2, 0}),
                Arguments.of("image and replicas", (UnaryOperator<ServiceSpec>) s -> with(s, Map.of("image", "img:v2",
                        "replicas", 5)), "update", List.of("image", "replicas"), new int[] {2, 5}),
                Arguments.of("env key added", set("env", Map.of("FOO", "1")), "update", List.of("env.FOO"), null),
                Arguments.of("two env keys", set("env", Map.of("B", "2", "A", "1")), "update", List.of("env.A", "env.B"), null),
                Arguments.of("label", set("labels", Map.of("team", "x")), "update", List.of("labels.team"), null),
                Arguments.of("command list", set("command", List.of("sh", "-c", "x")), "update", List.of("command"), null),
                Arguments.of("update policy field", set("update", new UpdatePolicy(d.order(), new IntOrPercent(3, false),
                        d.maxUnavailable(), d.minReady(), d.progressDeadline(), d.failureAction(), d.monitor(), d.drain())),
                        "update", List.of("update.maxSurge"), null),
                Arguments.of("resources", set("resources", new Resources(64L << 20, 0)), "update",
                        List.of("resources.memoryBytes"), null),
                Arguments.of("init flag", set("init", true), "update", List.of("init"), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void compares(String name, UnaryOperator<ServiceSpec> change, String action, List<String> changes, int[] replicas) {
        ServiceChange c = SpecDiff.change("web", WEB, change.apply(WEB));
        assertThat(c.action().word()).isEqualTo(action);
        assertThat(c.changes()).isEqualTo(changes);
        if (replicas == null) {
            assertThat(c.replicas()).isNull();
        } else {
            assertThat(c.replicas()).isEqualTo(new ServiceChange.Replicas(replicas[0], replicas[1]));
        }
    }

    @Test
    void envChangesAreNamedPerKeySortedWithoutValues() {
        ServiceSpec a = with(WEB, Map.of("env", Map.of("A", "1", "B", "2", "C", "3")));
        ServiceSpec b = with(WEB, Map.of("env", Map.of("A", "1", "B", "secret-new", "D", "4")));
        ServiceChange c = SpecDiff.change("web", a, b);
        assertThat(c.changes()).containsExactly("env.B", "env.C", "env.D");
        assertThat(c.toString()).doesNotContain("secret-new");
    }

    @Test
    void createsRemovesAndSortsByName() {
        List<ServiceChange> plan = SpecDiff.of(Map.of("old", Fixtures.spec("old", 1), "web", WEB),
                Map.of("web", with(WEB, Map.of("image", "img:v2")), "api", Fixtures.spec("api", 3)));
        assertThat(plan).extracting(ServiceChange::name).containsExactly("api", "old", "web");
        assertThat(plan).extracting(c -> c.action().word()).containsExactly("create", "remove", "update");
        assertThat(plan.get(0).replicas()).isEqualTo(new ServiceChange.Replicas(0, 3));
        assertThat(plan.get(1).replicas()).isEqualTo(new ServiceChange.Replicas(1, 0));
        assertThat(plan.get(2).changes()).containsExactly("image");
    }

    @Test
    void aFileIsComparedWithWhatItDeclaredAndWithServicesOfItsNames() {
        ServiceSpec web = Fixtures.spec("web", 1);
        ServiceSpec worker = with(Fixtures.spec("worker", 1), Map.of("source", "web.yaml"));
        ServiceSpec db = Fixtures.spec("db", 1);
        Map<String, ServiceSpec> loaded = Map.of("web", web, "worker", worker, "db", db);
        Map<String, ServiceSpec> after = Map.of("web", web);
        assertThat(SpecDiff.concerned(loaded, "web.yaml", after)).containsOnlyKeys("web", "worker");
        assertThat(SpecDiff.of(SpecDiff.concerned(loaded, "web.yaml", after), after))
                .extracting(c -> c.name() + ":" + c.action().word()).containsExactly("web:unchanged", "worker:remove");
        // A new file (no path) removes nothing.
        assertThat(SpecDiff.concerned(loaded, null, after)).containsOnlyKeys("web");
        assertThat(SpecDiff.concerned(loaded, "other.yaml", Map.of())).isEmpty();
    }

    @Test
    void actionsAnswerInLowerCaseJson() throws Exception {
        String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                SpecDiff.change("web", WEB, with(WEB, Map.of("replicas", 3))));
        assertThat(json).isEqualTo("{\"name\":\"web\",\"action\":\"scale\",\"changes\":[\"replicas\"],"
                + "\"replicas\":{\"from\":2,\"to\":3}}");
    }
}
