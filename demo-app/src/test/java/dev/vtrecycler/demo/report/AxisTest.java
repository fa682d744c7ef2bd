package dev.vtrecycler.demo.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AxisTest {
    static Stream<Arguments> linear() {
        return Stream.of(
                // highest value, axis top, ticks (30% headroom above the highest value, then a round step)
                Arguments.of(100.0, 150.0, List.of(0.0, 50.0, 100.0, 150.0)),
                Arguments.of(628e6, 1e9, List.of(0.0, 2e8, 4e8, 6e8, 8e8, 1e9)),
                Arguments.of(7.0, 10.0, List.of(0.0, 2.0, 4.0, 6.0, 8.0, 10.0)),
                Arguments.of(3.0, 4.0, List.of(0.0, 1.0, 2.0, 3.0, 4.0)),
                Arguments.of(0.0, 1.0, List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0)));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("linear")
    void linearAxisStartsAtZeroAndEndsOnARoundStep(double highest, double top, List<Double> ticks) {
        Axis axis = Axis.linear(highest);

        assertThat(axis.min()).isZero();
        assertThat(axis.max()).isCloseTo(top, within(top * 1e-9));
        assertThat(axis.ticks()).hasSameSizeAs(ticks);
        for (int i = 0; i < ticks.size(); i++) {
            assertThat(axis.ticks().get(i)).isCloseTo(ticks.get(i), within(1e-9 * Math.max(1, top)));
        }
        assertThat(axis.position(highest)).isLessThan(0.8); // room for the label above the bar
    }

    static Stream<Arguments> logarithmic() {
        return Stream.of(
                // lowest, highest, axis min, axis max, ticks
                Arguments.of(250e3, 75e6, 1e5, 1e9, List.of(1e5, 1e6, 1e7, 1e8, 1e9)),
                Arguments.of(1.2e6, 2.9e6, 1e6, 1e7, List.of(1e6, 2e6, 5e6, 1e7)),
                Arguments.of(2e6, 9e8, 1e6, 1e10, List.of(1e6, 1e7, 1e8, 1e9, 1e10)));
    }

    @ParameterizedTest(name = "[{0}, {1}]")
    @MethodSource("logarithmic")
    void logAxisSpansWholeDecades(double lowest, double highest, double min, double max, List<Double> ticks) {
        Axis axis = Axis.logarithmic(lowest, highest);

        assertThat(axis.log()).isTrue();
        assertThat(axis.min()).isCloseTo(min, within(min * 1e-9));
        assertThat(axis.max()).isCloseTo(max, within(max * 1e-9));
        assertThat(axis.ticks()).hasSameSizeAs(ticks);
        for (int i = 0; i < ticks.size(); i++) {
            assertThat(axis.ticks().get(i)).isCloseTo(ticks.get(i), within(ticks.get(i) * 1e-9));
        }
    }

    @org.junit.jupiter.api.Test
    void positionsAreProportionalOnTheirScale() {
        Axis linear = Axis.linear(100);
        assertThat(linear.position(75)).isCloseTo(0.5, within(1e-9));
        assertThat(linear.position(-5)).isZero();
        assertThat(linear.position(1e9)).isEqualTo(1);

        Axis log = Axis.logarithmic(1e5, 1e8);
        assertThat(log.position(1e6)).isCloseTo(0.25, within(1e-9)); // 1e5..1e9: one decade of four
        assertThat(log.position(0)).isZero();
    }
}
