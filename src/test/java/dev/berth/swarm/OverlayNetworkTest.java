package dev.berth.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.desired.NetworkSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverlayNetworkTest {
    @Test
    void aBridgeNetworkBecomesAnAttachableOverlayWithBerthsLabels() {
        OverlayNetwork n = OverlayNetwork.of("shop", new NetworkSpec("backend", "net.yaml", "bridge", true, Map.of("tier", "db")));
        assertThat(n).isEqualTo(new OverlayNetwork("shop_backend", "overlay", true, true, Map.of("tier", "db",
                "dev.berth.managed", "true", "dev.berth.project", "shop", "dev.berth.name", "backend")));
    }

    @Test
    void anOverlayNetworkStaysOverlayAndInternalFalseIsKept() {
        OverlayNetwork n = OverlayNetwork.of("shop", new NetworkSpec("lan", "net.yaml", "overlay", false, Map.of()));
        assertThat(n.driver()).isEqualTo("overlay");
        assertThat(n.internal()).isFalse();
    }

    @Test
    void theDefaultNetworkIsProjectUnderscoreDefault() {
        assertThat(OverlayNetwork.defaultNetwork("shop").name()).isEqualTo("shop_default");
        assertThat(OverlayNetwork.defaultNetwork("shop").labels()).containsEntry("dev.berth.name", "default");
    }

    @Test
    void anotherDriverIsRefused() {
        assertThatThrownBy(() -> OverlayNetwork.of("shop", new NetworkSpec("lan", "net.yaml", "macvlan", false, Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("macvlan");
    }
}
