package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tables line up for people; -o json and -o yaml give scripts the API's answer unchanged. */
class OutputTest extends AgainstStubDaemon {
    static final String SERVICES = "[" + StubDaemon.status("web", "Available", "h", null) + ","
            + StubDaemon.status("migrate-the-database", "Completed", "h", "job completed") + ","
            + StubDaemon.status("crash", "Degraded", "h", "crash loop: restart 5 at 2026-11-28T04:38:36Z") + "]";


    @Override
    void stubs(StubDaemon daemon) {
        daemon.on("GET /api/v1/services", 200, SERVICES);
        daemon.on("GET /api/v1/services/web/revisions", 200, """
                [{"revision":1,"specHash":"9c0e","image":"berth-test/app:v1","imageDigest":null,
                  "createdAt":"2026-11-28T05:20:01Z","deployedAt":"2026-11-28T05:20:04Z","outcome":"Superseded","current":false},
                 {"revision":2,"specHash":"4a1f","image":"berth-test/app:v2","imageDigest":null,
                  "createdAt":"2026-11-28T05:21:40Z","deployedAt":null,"outcome":"Failed: probe failed","current":true}]""");
    }

    @Test
    void everyCellStartsWhereItsHeaderStarts() {
        CliRun r = berth("get", "services");
        assertThat(r.code()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(4);
        String header = lines.get(0);
        assertThat(header).startsWith("NAME                   PHASE       READY   UP-TO-DATE   REVISION   IMAGE");
        for (String column : List.of("PHASE", "READY", "UP-TO-DATE", "REVISION", "IMAGE", "AGE", "MESSAGE")) {
            int at = header.indexOf("   " + column) + 3;
            for (String row : lines.subList(1, lines.size())) {
                if (column.equals("MESSAGE") && row.length() <= at) {
                    continue; // an empty last cell: the line ends, with no trailing blanks
                }
                assertThat(row.charAt(at - 1)).as(column + " in " + row).isEqualTo(' ');
                if (!column.equals("MESSAGE")) {
                    assertThat(row.charAt(at)).as(column + " in " + row).isNotEqualTo(' ');
                }
            }
        }
        assertThat(lines.get(1)).startsWith("web                    Available   1/2     1            2          berth-test/app:v2");
        assertThat(lines.get(3)).endsWith("crash loop: restart 5 at 2026-11-28T04:38:36Z");
        assertThat(lines).allSatisfy(l -> assertThat(l).doesNotEndWith(" ").doesNotContain("\u001b["));
    }

    @Test
    void jsonIsTheApisAnswer() throws Exception {
        CliRun r = berth("get", "services", "-o", "json");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(Json.MAPPER.readTree(r.out())).isEqualTo(Json.MAPPER.readTree(SERVICES));
    }

    @Test
    void yamlIsTheApisAnswerToo() throws Exception {
        CliRun r = berth("-o", "yaml", "get", "services");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(r.out());
        assertThat(yaml).isEqualTo(Json.MAPPER.readTree(SERVICES));
        assertThat(r.out()).startsWith("- name: \"web\"");
    }

    @Test
    void revisionsMarkTheCurrentOne() {
        CliRun r = berth("rollout", "history", "web");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("""
                REVISION   IMAGE               CREATED                DEPLOYED               CURRENT   OUTCOME
                1          berth-test/app:v1   2026-11-28T05:20:01Z   2026-11-28T05:20:04Z             Superseded
                2          berth-test/app:v2   2026-11-28T05:21:40Z                          *         Failed: probe failed
                """);
        assertThat(berth("get", "revisions", "web").out()).isEqualTo(r.out());
    }

    @Test
    void tableRendersRaggedCellsAligned() {
        String t = new Table("A", "LONGER", "C").row("xxxxx", "y", "z").row("", "", "").render();
        assertThat(t).isEqualTo("A       LONGER   C\nxxxxx   y        z\n\n");
    }
}
