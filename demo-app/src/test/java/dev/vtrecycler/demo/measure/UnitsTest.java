package dev.vtrecycler.demo.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitsTest {

    @ParameterizedTest
    @CsvSource({
        "12700000000, 12.7s",
        "2270000000, 2.27s",
        "999400000, 999ms",
        "999600000, 1.00s",
        "850000000, 850ms",
        "43412345, 43.4ms",
        "1500, 1.50µs",
        "12, 12.0ns"
    })
    void durations(double nanos, String expected) {
        assertThat(Units.duration(nanos)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "1830000, 1.83MB",
        "5820000, 5.82MB",
        "9440000, 9.44MB",
        "328, 328B",
        "51034904, 51.0MB",
        "2500000000, 2.50GB",
        "12345, 12.3kB"
    })
    void bytes(double bytes, String expected) {
        assertThat(Units.bytes(bytes)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0, 0.00", "3.5, 3.50", "850, 850", "999.6, 1.00k", "2804.4, 2.80k", "1200000, 1.20M"})
    void numbers(double value, String expected) {
        assertThat(Units.number(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"1.05, +5%", "0.31, -69%", "1.004, ~0%", "2.0, +100%"})
    void changes(double ratio, String expected) {
        assertThat(Units.change(ratio)).isEqualTo(expected);
    }
}
