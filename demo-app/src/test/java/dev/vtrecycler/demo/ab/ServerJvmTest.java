package dev.vtrecycler.demo.ab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerJvmTest {

    /** serve's lines; -1 = not the listening line. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "serve: listening on http://127.0.0.1:40123/ (handlers on virtual threads) | 40123",
            "serve: listening on http://127.0.0.1:8080/                                | 8080",
            "serve: the agent's metrics endpoint is off (port=none)                    | -1",
            "serve: listening on http://0.0.0.0:8080/                                  | -1",
            "[vtrecycler] listening on http://127.0.0.1:9404/                          | -1"})
    void findsThePortInServesFirstLine(String line, int expected) {
        assertThat(ServerJvm.parsePort(line.strip()))
                .isEqualTo(expected < 0 ? OptionalInt.empty() : OptionalInt.of(expected));
    }

    /** The agent's start line gives the metrics URL; other lines do not. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "[vtrecycler] 0.1.0 active: mode=recycle, wakeups=reuse, metrics on http://127.0.0.1:40123/metrics | http://127.0.0.1:40123/metrics",
            "[vtrecycler] 0.1.0 active: mode=observe, metrics on http://127.0.0.1:9404/metrics                 | http://127.0.0.1:9404/metrics",
            "[vtrecycler] 0.1.0 active: mode=recycle, wakeups=reuse, no metrics endpoint (port=none)            | none",
            "serve: metrics for Prometheus and the Grafana dashboard: http://127.0.0.1:9404/metrics           | none"})
    void findsTheMetricsUrlInTheAgentsStartLine(String line, String expected) {
        assertThat(ServerJvm.parseMetricsUrl(line.strip()).orElse(null)).isEqualTo(expected);
    }
}
