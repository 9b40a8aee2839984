package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth validate}: offline, the daemon's loader, one {@code path:line: field: reason}
 * line per problem with the path as given, exit 1 on any. Cases from src/test/resources.
 */
class ValidateCommandTest {
    static final String BAD = "src/test/resources/bad-manifests/";

    @TempDir
    Path tmp;

    CliRun validate(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "validate";
        System.arraycopy(args, 0, all, 1, args.length);
        // No server, no token: validate never talks to a daemon.
        return CliRun.run(Map.of("BERTH_SECRETS_DIR", tmp.resolve("no-secrets-here").toString()), tmp, all);
    }

    @Test
    void aGoodComposeProjectIsValid() {
        CliRun r = validate("src/test/resources/compose/good/shop");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("1 manifest file valid");
    }

    @Test
    void aGoodBerthDirectoryIsValid() throws Exception {
        Files.writeString(tmp.resolve("web.yaml"), ApplyWaitTest.WEB);
        Files.writeString(tmp.resolve("db.yml"), ApplyWaitTest.WEB.replace("name: web", "name: db"));
        CliRun r = validate(tmp.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("2 manifest files valid");
    }

    @Test
    void problemsAreFileLineFieldReasonWithThePathAsGiven() {
        CliRun r = validate(BAD + "neg-replicas");
        assertThat(r.code()).as(r.toString()).isEqualTo(Exit.FAILED);
        assertThat(r.out()).isEqualTo(BAD + "neg-replicas/web.yaml:7: spec.replicas: must have a minimum value of 0\n");
        assertThat(r.err()).contains("1 problem in " + BAD + "neg-replicas");
    }

    @Test
    void crossFileProblemsNeedTheWholeDirectory() {
        CliRun r = validate(BAD + "dup-service-across-files");
        assertThat(r.code()).as(r.toString()).isEqualTo(Exit.FAILED);
        assertThat(r.out()).isEqualTo(BAD + "dup-service-across-files/b.yaml:4: metadata.name: Service 'web' is already declared in a.yaml\n");
    }

    @Test
    void aSingleFileIsCheckedAlone() {
        CliRun r = validate(BAD + "dup-service-across-files/b.yaml");
        assertThat(r.code()).as(r.toString()).isZero();
        r = validate(BAD + "unknown-typo-replica/web.yaml");
        assertThat(r.code()).as(r.toString()).isEqualTo(Exit.FAILED);
        assertThat(r.out()).startsWith(BAD + "unknown-typo-replica/web.yaml:");
    }

    @Test
    void secretsAreCheckedOnlyWhereTheSecretsDirectoryExists() throws Exception {
        CliRun away = validate(BAD + "ref-secret");
        assertThat(away.code()).as(away.toString()).isZero();
        assertThat(away.err()).contains("secrets not checked: " + tmp.resolve("no-secrets-here") + " does not exist here");
        Path secrets = Files.createDirectories(tmp.resolve("secrets"));
        CliRun here = validate(BAD + "ref-secret", "--secrets-dir", secrets.toString());
        assertThat(here.code()).as(here.toString()).isEqualTo(Exit.FAILED);
        assertThat(here.out()).isEqualTo(BAD + "ref-secret/web.yaml:7: spec.secrets[0].name: secret 'api-key' not found in "
                + "the secrets directory " + secrets + "\n");
    }

    @Test
    void aMissingDirectoryIsAUsageError() {
        CliRun r = validate(tmp.resolve("nope").toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(Exit.USAGE);
        assertThat(r.err()).contains("nope: no such file or directory");
    }
}
