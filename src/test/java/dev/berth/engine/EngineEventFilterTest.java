package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Only engine events that can change a container start a reconcile pass. */
class EngineEventFilterTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            create                       | true
            start                        | true
            die                          | true
            oom                          | true
            kill                         | true
            stop                         | true
            destroy                      | true
            restart                      | true
            pause                        | true
            unpause                      | true
            rename                       | true
            update                       | true
            exec_create: cat /etc/hosts  | false
            exec_start: sh -c 'exit 0'   | false
            exec_die                     | false
            health_status: healthy       | false
            attach                       | false
            resize                       | false
            top                          | false
            null                         | false
            """)
    void lifecycleEventsOnly(String action, boolean triggers) {
        assertThat(DockerEngine.changesContainer(action)).isEqualTo(triggers);
    }
}
