package dev.berth.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {
    @ParameterizedTest
    @CsvSource({"10s,10000", "500ms,500", "1m30s,90000", "2h,7200000", "1.5s,1500"})
    void durations(String text, long millis) {
        assertThat(Quantities.duration(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "s", "10 s", "1x", "ms10"})
    void badDurations(String text) {
        assertThatThrownBy(() -> Quantities.duration(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"256Mi,268435456", "1Gi,1073741824", "512M,512000000", "512m,536870912", "1g,1073741824",
            "1048576,1048576", "64Ki,65536", "1.5Gi,1610612736"})
    void memory(String text, long bytes) {
        assertThat(Quantities.memory(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"0.5,500000000", "2,2000000000", "500m,500000000", "1.25,1250000000"})
    void cpus(String text, long nanos) {
        assertThat(Quantities.nanoCpus(text)).isEqualTo(nanos);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "lots", "m"})
    void badCpus(String text) {
        assertThatThrownBy(() -> Quantities.nanoCpus(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
