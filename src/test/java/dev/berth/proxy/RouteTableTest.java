package dev.berth.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteTableTest {
    static final List<Route> TABLE = List.of(
            new Route("web", List.of(new Route.Port(8080, 80, "http"), new Route.Port(8443, 443, "tcp")),
                    List.of(new Route.Member("aaa", Map.of(80, 32001, 443, 32002)), new Route.Member("bbb", Map.of(80, 32003)))),
            new Route("db", List.of(new Route.Port(5432, 5432, "tcp")), List.of()));

    @TempDir
    Path dir;

    @Test
    void aTableSurvivesJsonAsItWas() {
        assertThat(RouteTable.fromJson(RouteTable.toJson(TABLE))).isEqualTo(TABLE);
        assertThat(RouteTable.fromJson(RouteTable.toJson(List.of()))).isEmpty();
    }

    @Test
    void whatIsNotATableIsRefused() {
        for (String bad : List.of("", "null", "{}", "[{\"ports\":[],\"members\":[]}]", "[null]", "[{\"service\":\"web\","
                + "\"ports\":[{\"hostPort\":\"x\"}],\"members\":[]}]")) {
            assertThatThrownBy(() -> RouteTable.fromJson(bad.getBytes())).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theFileIsPrivateAndReadBackAndAMissingOrBrokenOneIsNoTable() throws Exception {
        Path file = dir.resolve("proxy").resolve(RouteTable.FILE);
        assertThat(RouteTable.load(file)).isEmpty();
        RouteTable.save(file, TABLE);
        assertThat(RouteTable.load(file)).isEqualTo(TABLE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Files.writeString(file, "[{\"service\":");
        assertThat(RouteTable.load(file)).isEmpty();
    }

    @Test
    void membersAndWithout() {
        assertThat(RouteTable.members(TABLE)).containsExactly("aaa", "bbb");
        List<Route> less = RouteTable.without(TABLE, "aaa");
        assertThat(RouteTable.members(less)).containsExactly("bbb");
        assertThat(less.get(0).ports()).isEqualTo(TABLE.get(0).ports());
        assertThat(RouteTable.without(TABLE, "zzz")).isEqualTo(TABLE);
    }
}
