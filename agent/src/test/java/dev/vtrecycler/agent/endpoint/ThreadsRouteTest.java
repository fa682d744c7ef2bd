package dev.vtrecycler.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThreadsRouteTest {
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL|false",
            "*/*|false",
            "text/plain|true",
            "text/plain; charset=utf-8|true",
            "application/json|false",
            "application/json, text/plain;q=0.5|false",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8|false"})
    void textOnlyWhenAskedForWithoutJson(String accept, boolean text) {
        assertThat(ThreadsRoute.prefersText(accept)).isEqualTo(text);
    }
}
