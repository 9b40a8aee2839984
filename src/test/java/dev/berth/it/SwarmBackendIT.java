package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.Labels;
import dev.berth.rollout.Command;
import dev.berth.rollout.CommandRejected;
import dev.berth.status.ServiceStatus;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code berth.backend=swarm} on a real swarm: the same manifests as on one engine become Swarm
 * services that Swarm rolls (start-first, gated on the container's healthcheck) and rolls back;
 * Berth holds a rolled-back service until the manifest changes, rolls back on request (to Swarm's
 * previous spec, or to any kept revision's template), puts back
 * a spec changed by hand, rolls a service to a rotated secret and removes what is no longer declared.
 */
class SwarmBackendIT extends SwarmTestBase {
    static final String V1 = TestImages.REGISTRY + "/berth-test/app:v1";
    static final String V2 = TestImages.REGISTRY + "/berth-test/app:v2";
    static final String UNHEALTHY = TestImages.REGISTRY + "/berth-test/app:unhealthy";

    static String web(String image, int replicas, String extra) {
        return "apiVersion: berth.dev/v1\nkind: Service\nmetadata: {name: web}\nspec:\n  image: " + image + "\n"
                + "  replicas: " + replicas + "\n  init: true\n  stopGracePeriod: 2s\n"
                + "  healthcheck: {http: {path: /cgi-bin/healthz, port: 8080}, interval: 1s, timeout: 1s, retries: 2}\n"
                + "  update: {maxSurge: 1, maxUnavailable: 0, monitorSeconds: 3}\n" + extra;
    }

    /**
     * A Berth started afresh (nothing learnt in memory: another manager after a failover, or an
     * upgrade) writes nothing to services that match their manifests, not even once to learn
     * again which fields the manager drops: the first Berth wrote them on the services.
     */
    @Test
    void aRestartedBerthWritesNothingToServicesThatMatch() throws Exception {
        startBerth();
        write("web.yaml", web(V1, 1, ""));
        awaitAvailable("web", 1, 1);
        long settled = settledVersion("web");
        String unkept = liveService("web").path("Spec").path("Labels").path(Labels.UNKEPT).asText();
        if (!unkept.isEmpty()) { // Docker 20.10 drops Privileges.NoNewPrivileges; a newer manager may drop nothing
            assertThat(berth.events().list(null).toString()).as("what the manager drops is an event, not only a log line")
                    .contains("FieldNotKept").contains(unkept.split(",")[0]);
        }
        stopBerth();

        startBerth();
        awaitAvailable("web", 1, 1);
        Thread.sleep(5000); // the first passes and two resyncs
        assertThat(liveService("web").path("Version").path("Index").asLong()).as("no write").isEqualTo(settled);
    }

    @Test
    void aServiceIsCreatedUpdatedRolledBackOnItsOwnHeldAndRemoved() throws Exception {
        startBerth();
        write("web.yaml", web(V1, 2, ""));
        ServiceStatus s = awaitAvailable("web", 1, 2);
        assertThat(s.imageDigest()).as("pinned to the registry's digest").startsWith(V1.replace(":v1", "@sha256:"));
        assertThat(liveService("web").path("Spec").path("Name").asText()).isEqualTo(project + "_web");

        write("web.yaml", web(V2, 2, ""));
        awaitAvailable("web", 2, 2);

        // Available once the new tasks run; Swarm says completed after its monitor period.
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(counter("succeeded"))
                .as("Swarm's update to revision 2, as one host counts rollouts").isEqualTo(1));
        assertThat(counter("started")).isEqualTo(1);
        assertThat(gauge("berth.service.replicas", "ready")).isEqualTo(2);
        assertThat(gauge("berth.service.revision", null)).isEqualTo(2);

        write("web.yaml", web(UNHEALTHY, 2, ""));
        s = awaitStatus("web", x -> x.phase().name().equals("RolledBack"));
        await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> assertThat(counter("rolled_back"))
                .as("events: %s", berth.events().list("web")).isEqualTo(1));
        assertThat(counter("failed")).isEqualTo(1);
        assertThat(s.revision()).as("the revision Swarm rolled back to").isEqualTo(2);
        assertThat(s.rollout().state()).isEqualTo("ROLLED_BACK");
        awaitAvailableWhileHeld();
        JsonNode live = liveService("web");
        long version = live.path("Version").path("Index").asLong();
        Thread.sleep(4000); // two resyncs: the failed template is not tried again
        assertThat(liveService("web").path("Version").path("Index").asLong()).isEqualTo(version);
        assertThat(status("web").orElseThrow().phase().name()).isEqualTo("RolledBack");

        // A changed manifest is a new revision again.
        write("web.yaml", web(V1, 2, "  env: {GREETING: hello}\n"));
        awaitAvailable("web", 4, 2);

        Files.delete(manifests.resolve("web.yaml"));
        write("other.yaml", web(V1, 1, "").replace("name: web", "name: other"));
        await().atMost(EVENTUALLY).until(() -> liveService("web") == null);
        awaitAvailable("other", 1, 1);
    }

    private void awaitAvailableWhileHeld() {
        awaitStatus("web", x -> x.phase().name().equals("RolledBack") && x.replicas().running() == 2
                && x.replicas().updated() == 2);
    }

    @Test
    void anOperatorRollsBackToThePreviousSpecAndItHoldsUntilTheManifestChanges() throws Exception {
        startBerth();
        write("web.yaml", web(V1, 2, ""));
        awaitAvailable("web", 1, 2);
        write("web.yaml", web(V2, 2, ""));
        awaitAvailable("web", 2, 2);

        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> berth.submit(new Command.Rollback("web", 7, "test")).get(30, TimeUnit.SECONDS));
        assertThat(refused.getCause()).isInstanceOf(CommandRejected.class).hasMessageContaining("revision 7");

        berth.submit(new Command.Rollback("web", null, "test")).get(30, TimeUnit.SECONDS);
        ServiceStatus s = awaitStatus("web", x -> x.phase().name().equals("RolledBack") && x.revision() == 1
                && x.replicas().updated() == 2);
        assertThat(s.image()).isEqualTo(V2).as("the manifest still says v2");
        assertThat(berth.revisions("web")).extracting(r -> r.revision() + " " + r.outcome())
                .containsExactly("1 Restored by rollback", "2 Rolled back");
        Thread.sleep(4000);
        assertThat(status("web").orElseThrow().revision()).as("held at the restored revision").isEqualTo(1);

        // The manifest's template again: its number again, as on one host.
        berth.submit(new Command.Retry("web", "test")).get(30, TimeUnit.SECONDS);
        s = awaitAvailable("web", 2, 2);

        // kubectl rollout restart: every task replaced, a new revision of the same template.
        var before = s.containers().stream().map(ServiceStatus.ReplicaStatus::id).toList();
        String template = s.specHash();
        berth.submit(new Command.Restart("web", "test")).get(30, TimeUnit.SECONDS);
        s = awaitAvailable("web", 3, 2);
        assertThat(s.specHash()).as("the same template").isEqualTo(template);
        assertThat(s.containers()).extracting(ServiceStatus.ReplicaStatus::id).doesNotContainAnyElementsOf(before);
        ExecutionException pause = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> berth.submit(new Command.Pause("web", "test")).get(30, TimeUnit.SECONDS));
        assertThat(pause.getCause()).hasMessageContaining("not supported by the Swarm backend");

        // Past the one previous spec Swarm keeps (revision 2, the same template): a kept template.
        ExecutionException own = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> berth.submit(new Command.Rollback("web", 2, "test")).get(30, TimeUnit.SECONDS));
        assertThat(own.getCause()).hasMessageContaining("already runs the template of revision 2 (as revision 3)");
        assertThat(swarm.configs(Map.of("dev.berth.project", project, Labels.TEMPLATE_OF, "web")))
                .extracting(c -> c.path("Spec").path("Labels").path(Labels.REVISION).asText())
                .containsExactlyInAnyOrder("1", "2", "3");
        berth.submit(new Command.Rollback("web", 1, "test")).get(30, TimeUnit.SECONDS);
        s = awaitStatus("web", x -> x.phase().name().equals("RolledBack") && x.revision() == 1
                && x.replicas().updated() == 2 && x.replicas().running() == 2);
        assertThat(s.imageDigest()).as("revision 1's image").startsWith(V1.replace(":v1", "@sha256:"));
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(berth.revisions("web"))
                .extracting(r -> r.revision() + " " + r.outcome())
                .containsExactly("1 Restored by rollback", "2 Superseded", "3 Rolled back"));
        assertThat(status("web").orElseThrow().rollout().state()).isEqualTo("ROLLED_BACK");
        long held = liveService("web").path("Version").path("Index").asLong();
        Thread.sleep(4000);
        assertThat(liveService("web").path("Version").path("Index").asLong()).as("held: nothing sent").isEqualTo(held);

        write("web.yaml", web(V2, 2, "  env: {GREETING: five}\n"));
        s = awaitAvailable("web", 4, 2);
    }

    @Test
    void aSpecChangedByHandIsPutBack() throws Exception {
        startBerth();
        write("web.yaml", web(V1, 2, "  env: {MODE: declared}\n"));
        awaitAvailable("web", 1, 2);

        JsonNode live = liveService("web");
        ObjectNode spec = live.path("Spec").deepCopy();
        ArrayNode env = (ArrayNode) spec.withObject("/TaskTemplate/ContainerSpec").withArray("Env");
        env.removeAll();
        env.add("MODE=by-hand");
        spec.withObject("/Mode/Replicated").put("Replicas", 1);
        swarm.updateService(live.path("ID").asText(), live.path("Version").path("Index").asLong(), spec);

        await().atMost(EVENTUALLY).until(() -> {
            JsonNode now = liveService("web").path("Spec");
            return now.path("TaskTemplate").path("ContainerSpec").path("Env").toString().contains("MODE=declared")
                    && now.path("Mode").path("Replicated").path("Replicas").asInt() == 2;
        });
        ServiceStatus s = awaitAvailable("web", 1, 2);
        assertThat(s.revision()).as("a repair is not a new revision").isEqualTo(1);
        assertThat(berth.events().list("web").toString()).contains("differs from the manifest");
    }

    @Test
    void aRotatedSecretIsANewObjectAndRollsTheService() throws Exception {
        Files.writeString(secrets.resolve("token"), "first");
        startBerth();
        write("web.yaml", web(V1, 1, "  secrets: [{name: token, target: /run/secrets/token}]\n"));
        awaitAvailable("web", 1, 1);
        String first = secretNames();
        assertThat(first).startsWith(project + "_token_");

        Files.writeString(secrets.resolve("token"), "second");
        berth.resync();
        awaitAvailable("web", 2, 1);
        String second = secretNames();
        assertThat(second).isNotEqualTo(first).startsWith(project + "_token_");
        // The first object stays while the previous spec (a rollback's target) refers to it.
        assertThat(swarm.secrets(Map.of("dev.berth.project", project))).hasSize(2);

        Files.writeString(secrets.resolve("token"), "third");
        berth.resync();
        awaitAvailable("web", 3, 1);
        Thread.sleep(3000);
        assertThat(swarm.secrets(Map.of("dev.berth.project", project))).as("the first stays with revision 1's kept template")
                .extracting(o -> o.path("Spec").path("Name").asText()).contains(first);

        // Kept: the running revision (3) and the previous (2); revision 1's template goes, and its secret.
        write("web.yaml", web(V1, 1, "  secrets: [{name: token, target: /run/secrets/token}]\n  revisionHistoryLimit: 1\n"));
        await().atMost(EVENTUALLY).until(() -> swarm.secrets(Map.of("dev.berth.project", project)).stream()
                .noneMatch(o -> o.path("Spec").path("Name").asText().equals(first)));
        assertThat(swarm.configs(Map.of("dev.berth.project", project, Labels.TEMPLATE_OF, "web")))
                .extracting(c -> c.path("Spec").path("Labels").path(Labels.REVISION).asText())
                .containsExactlyInAnyOrder("2", "3");
        assertThat(status("web").orElseThrow().revision()).as("a limit is no new revision").isEqualTo(3);
    }

    /**
     * {@code berth logs} on Swarm: each task's output through the manager (as the REST call reads
     * it), whichever node the task runs on.
     */
    @Test
    void eachTasksLogsAreReadThroughTheManager() throws Exception {
        startBerth();
        write("talker.yaml", "apiVersion: berth.dev/v1\nkind: Service\nmetadata: {name: talker}\nspec:\n  image: " + V1
                + "\n  replicas: 2\n  init: true\n  command: [sh, -c, 'echo talker-says-hi-$(hostname); exec sleep 3600']\n");
        ServiceStatus s = awaitAvailable("talker", 1, 2);
        for (ServiceStatus.ReplicaStatus r : s.containers()) {
            String task = dev.berth.swarm.SwarmStatus.taskId(r);
            await().atMost(EVENTUALLY).until(() -> {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                berth.engine().taskLogs(task, 10, false, false, out::write);
                return out.toString(java.nio.charset.StandardCharsets.UTF_8).contains("talker-says-hi-");
            });
        }
        org.junit.jupiter.api.Assertions.assertThrows(dev.berth.engine.EngineException.class,
                () -> berth.engine().taskLogs("nosuchtask", 10, false, false, b -> { }));
    }

    /** dependsOn on Swarm: web's service is created only once db has a healthy task. */
    @Test
    void aServiceIsCreatedOnlyOnceItsDependencyIsHealthy() throws Exception {
        startBerth();
        write("db.yaml", web(UNHEALTHY, 1, "").replace("name: web", "name: db"));
        write("web.yaml", web(V1, 1, "  dependsOn: [{service: db, condition: healthy}]\n"));
        ServiceStatus s = awaitStatus("web", x -> x.phase().name().equals("Waiting"));
        assertThat(s.message()).contains("waiting for db to be healthy");
        Thread.sleep(3000);
        assertThat(liveService("web")).as("not created while db is unhealthy").isNull();

        write("db.yaml", web(V1, 1, "").replace("name: web", "name: db"));
        awaitAvailable("web", 1, 1);
    }

    /**
     * A new task that never turns healthy nor unhealthy (failed checks within a long start period
     * do not count) holds a Swarm update as long as it lasts; the manifest's
     * progressDeadlineSeconds does not: Berth rolls the update back and holds.
     */
    @Test
    void anUpdatePastItsProgressDeadlineIsRolledBack() throws Exception {
        stuckUpdate("progressDeadlineSeconds: 8");
        ServiceStatus s = awaitStatus("web", x -> x.phase().name().equals("RolledBack"));
        assertThat(s.revision()).isEqualTo(1);
        assertThat(s.rollout().fromRevision()).isEqualTo(2);
        awaitStatus("web", x -> x.phase().name().equals("RolledBack") && x.replicas().running() == 1);
    }

    /**
     * The same stuck update under {@code failureAction: pause}: Swarm cannot be asked to pause, so
     * past the deadline the service is Degraded and says why while Swarm's update goes on (as
     * Kubernetes' ProgressDeadlineExceeded stops nothing); the operator's rollback ends it.
     */
    @Test
    void anUpdatePastItsProgressDeadlineUnderPauseIsDegradedUntilTheOperatorActs() throws Exception {
        stuckUpdate("progressDeadlineSeconds: 8, failureAction: pause");
        ServiceStatus s = awaitStatus("web", x -> x.phase().name().equals("Degraded") && x.message() != null
                && x.message().startsWith("progress deadline exceeded"));
        assertThat(s.revision()).isEqualTo(2);
        assertThat(s.replicas().running()).as("revision 1's task still serves").isEqualTo(1);
        assertThat(liveService("web").path("UpdateStatus").path("State").asText()).as("Swarm goes on").isEqualTo("updating");
        assertThat(berth.events().list("web").toString()).contains("progress deadline exceeded");

        berth.submit(new Command.Rollback("web", null, "test")).get(30, TimeUnit.SECONDS);
        awaitStatus("web", x -> x.phase().name().equals("RolledBack") && x.revision() == 1 && x.replicas().running() == 1);
    }

    private double counter(String result) {
        var c = berth.metrics().registry().find("berth.rollouts").tag("service", "web").tag("result", result).counter();
        return c == null ? 0 : c.count();
    }

    private double gauge(String name, String kind) {
        var search = berth.metrics().registry().find(name).tag("service", "web");
        var g = (kind == null ? search : search.tag("kind", kind)).gauge();
        return g == null ? -1 : g.value();
    }

    /**
     * Revision 1 available, then an update (with {@code update} settings added) to a task that
     * neither turns healthy nor unhealthy: its checks fail within a 300 s start period.
     */
    private void stuckUpdate(String update) throws Exception {
        startBerth();
        write("web.yaml", web(V1, 1, ""));
        awaitAvailable("web", 1, 1);
        write("web.yaml", web(UNHEALTHY, 1, "").replace("retries: 2}", "retries: 2, startPeriod: 300s}")
                .replace("monitorSeconds: 3}", "monitorSeconds: 3, " + update + "}"));
    }

    /**
     * Inputs that fail must not remove what runs: a secret file gone (the service is held with the
     * error, not taken as undeclared), a manifest Swarm cannot carry out (a check expecting 401:
     * a problem, the service keeps running as it was), and a manifests directory emptied (refused,
     * as on one host).
     */
    @Test
    void failingInputsLeaveRunningServicesAlone() throws Exception {
        Files.writeString(secrets.resolve("token"), "first");
        startBerth();
        write("web.yaml", web(V1, 1, "  secrets: [{name: token, target: /run/secrets/token}]\n"));
        awaitAvailable("web", 1, 1);
        String id = liveService("web").path("ID").asText();

        Files.delete(secrets.resolve("token"));
        write("web.yaml", web(V1, 1, "  env: {X: '1'}\n  secrets: [{name: token, target: /run/secrets/token}]\n"));
        ServiceStatus s = awaitStatus("web", x -> x.lastError() != null && x.lastError().contains("token"));
        assertThat(liveService("web").path("ID").asText()).as("still the same service").isEqualTo(id);
        assertThat(s.revision()).isEqualTo(1);

        Files.writeString(secrets.resolve("token"), "first");
        write("web.yaml", web(V2, 1, "").replace("port: 8080}", "port: 8080, status: 401}"));
        await().atMost(EVENTUALLY).until(() -> berth.status().problems().stream()
                .anyMatch(p -> p.field().equals("spec.healthcheck.http.status")));
        berth.resync();
        Thread.sleep(3000);
        assertThat(liveService("web").path("ID").asText()).isEqualTo(id);
        assertThat(liveService("web").path("Spec").path("TaskTemplate").path("ContainerSpec").path("Image").asText())
                .as("not updated to the rejected v2").startsWith(V1);

        Files.delete(manifests.resolve("web.yaml"));
        await().atMost(EVENTUALLY).until(() -> berth.status().refusal() != null);
        assertThat(berth.status().refusal()).contains("declares no services");
        Thread.sleep(3000);
        assertThat(liveService("web")).as("an empty directory removes nothing").isNotNull();
    }

    private String secretNames() {
        return liveService("web").path("Spec").path("TaskTemplate").path("ContainerSpec").path("Secrets").path(0)
                .path("SecretName").asText();
    }
}
