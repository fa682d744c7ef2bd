package dev.vtrecycler.demo.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void spreadIsTheLargestDistanceFromTheMean() {
        Stats stats = Stats.of(new double[] {97, 100, 103});

        assertThat(stats.mean()).isCloseTo(100, within(1e-9));
        assertThat(stats.spreadPercent()).isCloseTo(3, within(1e-9));
        assertThat(stats.kept()).isEqualTo(3);
    }

    @Test
    void outliersBeyondTukeyFencesAreDropped() {
        // quartiles 100 and 102, IQR 2: 200 is far beyond 102 + 3, so it is left out
        Stats stats = Stats.of(new double[] {100, 100, 101, 102, 102, 200});

        assertThat(stats.kept()).isEqualTo(5);
        assertThat(stats.total()).isEqualTo(6);
        assertThat(stats.mean()).isCloseTo(101, within(1e-9));
    }

    @Test
    void oneValueHasNoSpread() {
        Stats stats = Stats.of(new double[] {42});

        assertThat(stats.mean()).isEqualTo(42);
        assertThat(stats.spreadPercent()).isZero();
    }
}
