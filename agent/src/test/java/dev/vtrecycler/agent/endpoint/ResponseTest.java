package dev.vtrecycler.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseTest {
    /** Every status the endpoint sends has its RFC 9110/6585 reason phrase, not the "Status n" fallback. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({"200, OK", "401, Unauthorized", "404, Not Found", "405, Method Not Allowed", "429, Too Many Requests",
            "500, Internal Server Error", "503, Service Unavailable"})
    void reasonPhrases(int status, String reason) {
        assertThat(Response.reason(status)).isEqualTo(reason);
    }
}
