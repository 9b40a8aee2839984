package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.WebApplicationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** ?after= and ?limit= of the events list: whole numbers from 0, else a 400 in the API's error format. */
class EventsQueryTest {
    @ParameterizedTest
    @CsvSource({"0,0", "7,7", " 12 ,12", "2147483647,2147483647"})
    void wholeNumbers(String value, long expected) {
        assertThat(EventsResource.count("limit", value, Integer.MAX_VALUE, -5)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void absentIsTheDefault() {
        assertThat(EventsResource.count("after", null, Long.MAX_VALUE, 0)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "", "1.5", "1e3", "0x10", "2147483648", "99999999999999999999", "<script>"})
    void anythingElseIs400WithTheParameterNamed(String value) {
        assertThatThrownBy(() -> EventsResource.count("limit", value, Integer.MAX_VALUE, 0))
                .isInstanceOfSatisfying(WebApplicationException.class, e -> {
                    assertThat(e.getResponse().getStatus()).isEqualTo(400);
                    ApiError body = (ApiError) e.getResponse().getEntity();
                    assertThat(body.status()).isEqualTo(400);
                    assertThat(body.message()).startsWith("limit must be a whole number").contains("negative");
                });
    }
}
