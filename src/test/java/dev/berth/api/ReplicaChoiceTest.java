package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.status.ServiceStatus.ReplicaStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaChoiceTest {
    /** A replica written as {@code name:revision:ordinal:state:ready}. */
    static ReplicaStatus r(String spec) {
        String[] f = spec.split(":");
        return new ReplicaStatus(f[0], f[0] + "-id", Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3], null, null, null,
                Boolean.parseBoolean(f[4]), null, null);
    }

    /** Replicas (';'-separated), current revision, ordinal ('-' = none) → chosen name ('-' = none). */
    @ParameterizedTest(name = "{0} rev {1} ordinal {2} → {3}")
    @CsvSource(delimiter = '|', value = {
        "''|2|-|-",
        "a:2:0:running:true;b:2:1:running:true|2|-|a",
        "a:2:0:running:false;b:2:1:running:true|2|-|b",
        "a:2:0:exited:false;b:2:1:running:false|2|-|b",
        "old:1:0:running:true;new:2:0:created:false|2|-|old",
        "old:1:0:running:true;new:2:0:running:false|2|-|new",
        "a:2:0:exited:false;b:1:0:exited:false|2|-|a",
        "a:1:1:exited:false;b:1:0:exited:false|2|-|b",
        "a:2:0:running:true;b:2:1:running:true|2|1|b",
        "old:1:1:running:true;new:2:1:running:false|2|1|new",
        "v1:1:3:running:true;v3:3:3:running:true|2|3|v3",
        "a:2:0:running:true|2|5|-",
    })
    void chooses(String replicas, int revision, String ordinal, String expected) {
        List<ReplicaStatus> list = replicas.isEmpty() ? List.of()
                : java.util.Arrays.stream(replicas.split(";")).map(ReplicaChoiceTest::r).toList();
        Optional<ReplicaStatus> chosen = ReplicaChoice.of(list, revision, "-".equals(ordinal) ? null : Integer.valueOf(ordinal));
        assertThat(chosen.map(ReplicaStatus::name).orElse("-")).isEqualTo(expected);
    }
}
