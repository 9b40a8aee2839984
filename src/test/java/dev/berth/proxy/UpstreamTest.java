package dev.berth.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpstreamTest {

    @ParameterizedTest(name = "{0}, host reaches containers {1} → direct {2}")
    @CsvSource(textBlock = """
            auto,      true,  true
            auto,      false, false
            container, false, true
            container, true,  true
            loopback,  true,  false
            LOOPBACK,  true,  false
            ' auto ',  true,  true
            """)
    void whetherReplicasAreReachedAtTheirAddresses(String setting, boolean reachable, boolean direct) {
        assertThat(Upstream.parse(setting).direct(() -> reachable)).isEqualTo(direct);
    }

    @ParameterizedTest
    @CsvSource({"direct", "''", "host"})
    void anythingElseStopsTheStartWithTheChoices(String setting) {
        assertThatThrownBy(() -> Upstream.parse(setting)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("berth.proxy.upstream must be auto, container or loopback");
    }
}
