package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationConverterTest {
    @ParameterizedTest
    @CsvSource({"5m,300000,5m", "90s,90000,1m30s", "1h,3600000,1h", "1m30s,90000,1m30s", "300,300000,5m",
            "250ms,250,250ms", "2h5s,7205000,2h5s"})
    void parsesAndSays(String text, long millis, String words) {
        Duration d = DurationConverter.parse(text);
        assertThat(d.toMillis()).isEqualTo(millis);
        assertThat(DurationConverter.words(d)).isEqualTo(words);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "5 m", "-1s", "1.5m", "5d"})
    void refusesWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> DurationConverter.parse(text)).hasMessageContaining("is not a duration");
    }
}
