package dev.berth.desired;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void aContainerNameIsTheReplicaNameAndAFreshSuffix() {
        assertThat(Names.replica("berth", "web", 2, 1)).isEqualTo("berth-web-r2-1");
        assertThat(Names.container("berth", "web", 2, 1, "x7kqz")).isEqualTo("berth-web-r2-1-x7kqz");
    }

    @Test
    void suffixesAreFiveCharactersOfTheAlphabetAndRarelyRepeat() {
        Random random = new Random(42);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String s = Names.suffix(random);
            assertThat(s).matches("[" + Names.ALPHABET + "]{5}");
            seen.add(s);
        }
        // 27^5 ≈ 14 million: a thousand draws (seeded, so this is deterministic) do not repeat.
        assertThat(seen).hasSize(1000);
    }
}
