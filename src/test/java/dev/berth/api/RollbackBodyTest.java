package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a rollback body may be: empty, or {"revision": N}; everything else is a 400 with the reason. */
class RollbackBodyTest {
    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  ", "\n", "{}", "{\"revision\": null}", " { \"revision\" : null } "})
    void noRevisionMeansThePreviousGoodOne(String body) throws Exception {
        assertThat(RollbackBody.parse(body)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"revision\": 1}|1",
        "{\"revision\": 3}|3",
        "{\"revision\":2147483647}|2147483647",
        "'\t{\"revision\": 12}\r\n'|12"})
    void aWholeRevision(String body, int revision) throws Exception {
        assertThat(RollbackBody.parse(body)).isEqualTo(OptionalInt.of(revision));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{|not JSON",
        "{\"revision\": |not JSON",
        "not json|not JSON",
        "<revision>1</revision>|not JSON",
        "{\"revision\": 1}}|not JSON",
        "{\"revision\": 1} {\"revision\": 2}|not JSON",
        "{\"revision\": 1, \"revision\": 2}|not JSON",
        "3|got number",
        "\"3\"|got string",
        "[1]|got array",
        "[]|got array",
        "true|got boolean",
        "null|got null",
        "{\"revison\": 3}|unknown field 'revison'",
        "{\"revision\": 1, \"force\": true}|unknown field 'force'",
        "{\"revision\": \"3\"}|whole number, got \"3\"",
        "{\"revision\": \"abc\"}|whole number, got \"abc\"",
        "{\"revision\": 1.5}|whole number, got 1.5",
        "{\"revision\": 2.0}|whole number, got 2.0",
        "{\"revision\": 1e3}|whole number",
        "{\"revision\": true}|whole number, got true",
        "{\"revision\": [1]}|whole number, got [1]",
        "{\"revision\": {\"n\": 1}}|whole number",
        "{\"revision\": 99999999999}|whole number, got 99999999999",
        "{\"revision\": 0}|at least 1, got 0",
        "{\"revision\": -1}|at least 1, got -1"})
    void anythingElseIsRefusedWithTheReason(String body, String reason) {
        assertThatThrownBy(() -> RollbackBody.parse(body)).isInstanceOf(RollbackBody.Invalid.class)
                .hasMessageContaining(reason);
    }

    @org.junit.jupiter.api.Test
    void aHugeFieldNameIsNotEchoedWhole() {
        String name = "x".repeat(10_000);
        assertThatThrownBy(() -> RollbackBody.parse("{\"" + name + "\": 1}"))
                .hasMessageContaining("unknown field 'xxxx").message().hasSizeLessThan(200);
    }
}
