package dev.berth.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SpecHashTest {
    @Test
    void independentOfMapOrderSensitiveToValues() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("image", "x");
        a.put("env", new TreeMap<>(Map.of("A", "1", "B", "2")));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("env", new TreeMap<>(Map.of("B", "2", "A", "1")));
        b.put("image", "x");
        assertThat(SpecHash.of(a)).isEqualTo(SpecHash.of(b)).hasSize(16);
        b.put("command", List.of("sh"));
        assertThat(SpecHash.of(a)).isNotEqualTo(SpecHash.of(b));
    }

    @Test
    void secretDigestsDependOnTheSalt() {
        byte[] secret = "hunter2".getBytes();
        assertThat(SpecHash.hmac("salt-1".getBytes(), secret)).isNotEqualTo(SpecHash.hmac("salt-2".getBytes(), secret))
                .isNotEqualTo(SpecHash.sha256(secret));
    }
}
