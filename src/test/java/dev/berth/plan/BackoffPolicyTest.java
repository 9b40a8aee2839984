package dev.berth.plan;

import dev.berth.desired.BackoffPolicy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffPolicyTest {
    @ParameterizedTest(name = "restart {0} waits {1}s")
    @CsvSource({"1,0", "2,1", "3,2", "4,4", "5,8", "9,128", "10,256", "11,300", "50,300", "1000,300"})
    void doublesFromOneSecondUpToFiveMinutes(int restart, long seconds) {
        assertThat(BackoffPolicy.DEFAULT.delay(restart)).isEqualTo(Duration.ofSeconds(seconds));
    }
}
