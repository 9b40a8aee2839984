package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PreconditionsTest {
    static final String H = "sha256:aaa";

    /** If-Match, If-None-Match, current hash ('-' = no file) → null (write) or a word of the 412 reason. */
    @ParameterizedTest(name = "If-Match {0} / If-None-Match {1} / file {2} → {3}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "null|null|-|null",
        "null|null|sha256:aaa|null",
        "'\"sha256:aaa\"'|null|sha256:aaa|null",
        "sha256:aaa|null|sha256:aaa|null",
        "'\"sha256:bbb\"'|null|sha256:aaa|changed",
        "'\"sha256:bbb\", \"sha256:aaa\"'|null|sha256:aaa|null",
        "'W/\"sha256:aaa\"'|null|sha256:aaa|changed",
        "'\"sha256:aaa\"'|null|-|does not exist",
        "*|null|sha256:aaa|null",
        "*|null|-|does not exist",
        "null|*|-|null",
        "null|*|sha256:aaa|exists",
        "null|'\"sha256:aaa\"'|sha256:aaa|still",
        "null|'\"sha256:bbb\"'|sha256:aaa|null",
        "'  '|null|-|null",
    })
    void decides(String ifMatch, String ifNoneMatch, String current, String expected) {
        String refusal = Preconditions.refusal(ifMatch, ifNoneMatch, "-".equals(current) ? null : current);
        if (expected == null) {
            assertThat(refusal).isNull();
        } else {
            assertThat(refusal).contains(expected);
        }
    }

    @org.junit.jupiter.api.Test
    void etagsAreQuotedHashes() {
        assertThat(Preconditions.etag(H)).isEqualTo("\"sha256:aaa\"");
        assertThat(Preconditions.tags(Preconditions.etag(H))).containsExactly(H);
    }
}
