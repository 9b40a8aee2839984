package dev.berth.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SwarmNamesTest {
    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void serviceNameIsProjectUnderscoreService() {
        assertThat(SwarmNames.service("shop", "web")).isEqualTo("shop_web");
    }

    @Test
    void objectNameCarriesTheFirst12HexOfTheContentsSha256() {
        // sha256("hello") = 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824
        assertThat(SwarmNames.object("shop", "db-password", bytes("hello"))).isEqualTo("shop_db-password_2cf24dba5fb0");
    }

    @Test
    void otherContentIsAnotherObjectAndTheSameContentTheSameObject() {
        String a = SwarmNames.object("shop", "pw", bytes("one"));
        assertThat(SwarmNames.object("shop", "pw", bytes("two"))).isNotEqualTo(a);
        assertThat(SwarmNames.object("shop", "pw", bytes("one"))).isEqualTo(a);
    }

    @Test
    void charactersSwarmRefusesBecomeDashes() {
        assertThat(SwarmNames.object("shop", "my file+v2.conf", bytes("x"))).startsWith("shop_my-file-v2.conf_");
    }

    @Test
    void aLongLogicalNameIsCutToFitSwarmsLimitAndKeepsItsHash() {
        String name = SwarmNames.object("shop", "n".repeat(100), bytes("hello"));
        assertThat(name).hasSize(SwarmNames.MAX_NAME).startsWith("shop_nnn").endsWith("_2cf24dba5fb0");
    }

    @Test
    void aProjectThatLeavesNoRoomIsAnError() {
        assertThatThrownBy(() -> SwarmNames.object("p".repeat(50), "pw", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aConfigsLogicalNameIsItsFileName() {
        assertThat(SwarmNames.configName(Path.of("/srv/manifests/web/nginx.conf"))).isEqualTo("nginx.conf");
    }
}
