package dev.berth.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.desired.RestartPolicy;
import dev.berth.desired.ServiceSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rolling-update bounds, Kubernetes' rounding, and the floor a health monitor uses. */
class RolloutMathTest {

    @ParameterizedTest(name = "{0} replicas, {1}, surge {2}, unavailable {3}, {4} → surge {5}, unavailable {6}, max {7}, min {8}, healthy at {9}")
    @CsvSource(delimiter = '|', textBlock = """
            # replicas | order      | maxSurge | maxUnavailable | kind    | surge | unavailable | maxTotal | minAvailable | minHealthy
            1          | start-first| 1        | 0              | service | 1     | 0           | 2        | 1            | 1
            3          | start-first| 1        | 0              | service | 1     | 0           | 4        | 3            | 3
            10         | start-first| 25%      | 25%            | service | 3     | 2           | 13       | 8            | 8
            4          | start-first| 25%      | 25%            | service | 1     | 1           | 5        | 3            | 3
            1          | start-first| 25%      | 25%            | service | 1     | 0           | 2        | 1            | 1
            3          | start-first| 0        | 0              | service | 0     | 1           | 3        | 2            | 2
            3          | start-first| 50%      | 100%           | service | 2     | 3           | 5        | 1            | 1
            1          | start-first| 1        | 1              | service | 1     | 1           | 2        | 1            | 1
            2          | start-first| 0        | 5              | service | 0     | 2           | 2        | 0            | 1
            1          | stop-first | 1        | 0              | service | 0     | 1           | 1        | 0            | 1
            3          | stop-first | 1        | 1              | service | 0     | 1           | 3        | 2            | 2
            1          | start-first| 1        | 0              | host    | 0     | 1           | 1        | 0            | 1
            0          | start-first| 1        | 0              | service | 1     | 0           | 1        | 0            | 0
            1          | start-first| 1        | 0              | job     | 0     | 1           | 1        | 0            | 0
            """)
    void bounds(int replicas, String order, String maxSurge, String maxUnavailable, String kind, int surge,
            int unavailable, int maxTotal, int minAvailable, int minHealthy) {
        ServiceSpec s = Fixtures.update(Fixtures.spec("web", replicas), order.strip(), maxSurge, maxUnavailable);
        if (kind.equals("host")) {
            s = Fixtures.hostPort(s);
        } else if (kind.equals("job")) {
            s = Fixtures.build("web", replicas, RestartPolicy.parse("on-failure"), s.dependsOn(), s.ports(), null, s.update());
        }
        RolloutMath m = RolloutMath.of(s);
        assertThat(m.surge()).as("surge").isEqualTo(surge);
        assertThat(m.unavailable()).as("unavailable").isEqualTo(unavailable);
        assertThat(m.maxTotal(replicas)).as("maxTotal").isEqualTo(maxTotal);
        assertThat(m.minAvailable(replicas)).as("minAvailable").isEqualTo(minAvailable);
        assertThat(RolloutMath.minHealthy(s)).as("minHealthy").isEqualTo(minHealthy);
    }
}
