package dev.vtrecycler.demo.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcessStatsTest {

    @Test
    void roundTripsThroughItsLine() {
        ProcessStats stats = new ProcessStats(1_234_000_000L, 56_700_000L, 3, 12, 40_000_000, 1000);

        assertThat(stats.format()).isEqualTo("vtrecycler-stats cpu=1234000000 alloc=56700000 gc-count=3 gc-ms=12 jit-ns=40000000 requests=1000");
        assertThat(ProcessStats.parse(stats.format() + "\n")).isEqualTo(stats);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "primes below 2000: 303, virtual thread: true",
            "vtrecycler-stats cpu=1 alloc=2 gc-count=3 gc-ms=4",
            "vtrecycler-stats cpu=1 alloc=2 gc-count=3 gc-ms=4 requests=5",
            "vtrecycler-stats cpu=x alloc=2 gc-count=3 gc-ms=4 jit-ns=1 requests=5",
            "vtrecycler-result iteration=1 nanos=1 bytes=1"})
    void refusesAnythingElse(String line) {
        assertThatThrownBy(() -> ProcessStats.parse(line)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void differenceIsWhatHappenedBetween() {
        ProcessStats before = new ProcessStats(100, 1000, 1, 5, 7, 10);
        ProcessStats after = new ProcessStats(350, 9000, 4, 25, 9, 110);

        assertThat(after.minus(before)).isEqualTo(new ProcessStats(250, 8000, 3, 20, 2, 100));
    }

    @Test
    void thisJvmsTotalsOnlyGrow() {
        ProcessStats first = ProcessStats.now(0);
        byte[][] garbage = new byte[100][];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = new byte[10_000];
        }
        ProcessStats second = ProcessStats.now(garbage.length);
        ProcessStats delta = second.minus(first);
        assertThat(delta.allocatedBytes()).isGreaterThanOrEqualTo(100L * 10_000);
        assertThat(delta.cpuNanos()).isNotNegative();
        assertThat(delta.gcCount()).isNotNegative();
        assertThat(delta.jitNanos()).isNotNegative();
        assertThat(delta.requests()).isEqualTo(100);
    }

    @Test
    void slicesAddUpFieldByField() {
        ProcessStats a = new ProcessStats(1_000, 20_000, 1, 3, 5, 100);
        ProcessStats b = new ProcessStats(2_000, 50_000, 0, 0, 6, 300);

        assertThat(a.plus(b)).isEqualTo(new ProcessStats(3_000, 70_000, 1, 3, 11, 400));
    }
}
