package dev.vtrecycler.demo.ab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vtrecycler.demo.measure.ProcessStats;
import org.junit.jupiter.api.Test;

/** A step's per-request figures and how busy it kept the server, from the server's own counters. */
class StepResultTest {
    /** 8 s at 10,000 requests/s, 7.8 s of server CPU: 97.5 ms per 1,000 requests, 0.975 CPUs busy. */
    private static final StepResult SATURATED = new StepResult(10_000, 5e6, 9e6, 12e6, 80_000, 0,
            new ProcessStats(7_800_000_000L, 80_000L * 8_000, 40, 120, 300_000_000, 80_000));

    @Test
    void perRequestFiguresAndTheServersBusyCpus() {
        assertThat(SATURATED.cpuPerThousand()).isCloseTo(97.5e6, within(1.0));
        assertThat(SATURATED.bytesPerRequest()).isCloseTo(8_000, within(0.01));
        assertThat(SATURATED.serverCpus()).isCloseTo(0.975, within(1e-9));
        assertThat(SATURATED.cpuPerThousandWithoutJit()).as("7.5 s of the 7.8 s were not the JIT's")
                .isCloseTo(93.75e6, within(1.0));
    }

    @Test
    void theProgressLineSaysHowBusyTheServerWas() {
        assertThat(ServiceAb.describe(Load.max(64), SATURATED, null)).isEqualTo("max (64 in flight): achieved 10000/s,"
                + " p50 5.00ms p99 9.00ms p99.9 12.0ms, cpu/1k req 97.5ms (server busy 0.98 CPUs), 0 errors");
    }

    @Test
    void nothingAnsweredIsZeroNotNaN() {
        StepResult none = new StepResult(0, 0, 0, 0, 0, 5, new ProcessStats(1_000_000, 0, 0, 0, 0, 0));
        assertThat(none.serverCpus()).isZero();
        assertThat(none.cpuPerThousand()).isZero();
        assertThat(none.cpuPerThousandWithoutJit()).isZero();
    }
}
