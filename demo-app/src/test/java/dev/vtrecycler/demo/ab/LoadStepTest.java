package dev.vtrecycler.demo.ab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.demo.measure.ProcessStats;
import dev.vtrecycler.demo.serve.DemoService;
import dev.vtrecycler.demo.serve.RequestThreads;
import dev.vtrecycler.demo.serve.RequestWork;
import dev.vtrecycler.demo.serve.ServedRequests;
import dev.vtrecycler.demo.serve.ServerKind;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The load generator against the real demo server (Jetty, in this JVM): counts, not timings. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadStepTest {

    private static DemoService jetty() {
        return ServerKind.JETTY.start(0, new ServedRequests(RequestWork.DEMO), RequestThreads.VIRTUAL);
    }

    @Test
    void oneKeepAliveConnectionCarriesManyRequestsAndStatsDoNotCountAsRequests() throws Exception {
        try (DemoService server = jetty()) {
            try (KeepAliveConnection connection = new KeepAliveConnection(server.port())) {
                for (int i = 0; i < 3; i++) {
                    assertThat(connection.get("/")).startsWith("primes below 2000: 303");
                    assertThat(connection.reusable()).isTrue();
                }
                ProcessStats stats = ProcessStats.parse(connection.get("/-/stats"));
                assertThat(stats.requests()).isEqualTo(3);
                assertThat(stats.cpuNanos()).isPositive();
                assertThat(stats.allocatedBytes()).isPositive();
            }
            assertThat(server.requests().requests()).isEqualTo(3);
        }
    }

    @Test
    void fixedRateSendsRateTimesSecondsAndTimesEachFromItsIntendedSend() throws Exception {
        try (DemoService server = jetty()) {
            LoadStep.Outcome outcome;
            try (LoadStep.Connections connections = new LoadStep.Connections(server.port())) {
                outcome = LoadStep.fixedRate(connections, "/", 100, Duration.ofSeconds(1), 64);
            }

            assertThat(outcome.errors()).as(outcome.lastError()).isZero();
            assertThat(outcome.completed()).isEqualTo(100);
            assertThat(outcome.latency().getTotalCount()).isEqualTo(100);
            // every request sleeps 2 ms in the handler: no latency can be shorter
            assertThat(outcome.latency().getMinValue()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(2));
            assertThat(server.requests().requests()).isEqualTo(100);
            assertThat(outcome.achievedPerSecond()).isPositive();
        }
    }

    @Test
    void fixedRateBeyondTheServerHoldsNoMoreConnectionsThanAllowedAndLosesNoRequest() throws Exception {
        try (DemoService server = jetty()) {
            LoadStep.Outcome outcome;
            long opened;
            try (LoadStep.Connections connections = new LoadStep.Connections(server.port())) {
                // 2 ms per request and 2 out at once: at most ~1,000/s, half the rate asked for
                outcome = LoadStep.fixedRate(connections, "/", 2000, Duration.ofSeconds(1), 2);
                opened = connections.opened();
            }

            assertThat(outcome.errors()).as(outcome.lastError()).isZero();
            assertThat(outcome.completed()).isEqualTo(2000);
            assertThat(opened).isLessThanOrEqualTo(2);
            // the queue behind the two connections counts: the last requests waited about a second
            assertThat(outcome.latency().getMaxValue()).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(300));
        }
    }

    @Test
    void maxKeepsRequestsInFlightForTheWholeStep() throws Exception {
        try (DemoService server = jetty()) {
            LoadStep.Outcome outcome;
            try (LoadStep.Connections connections = new LoadStep.Connections(server.port())) {
                outcome = LoadStep.max(connections, "/", 4, Duration.ofSeconds(1));
                // the same connections serve the next step: at most 4 were ever opened
                LoadStep.Outcome again = LoadStep.max(connections, "/", 4, Duration.ofSeconds(1));
                assertThat(again.errors()).isZero();
                assertThat(connections.opened()).isBetween(1L, 4L);
            }

            assertThat(outcome.errors()).as(outcome.lastError()).isZero();
            assertThat(outcome.completed()).isPositive().isEqualTo(outcome.latency().getTotalCount());
            assertThat(outcome.elapsedNanos()).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
        }
    }

    @Test
    void twoSlicesOfAStepAddUpAsOne() {
        org.HdrHistogram.Histogram first = new org.HdrHistogram.Histogram(3);
        first.recordValue(1_000);
        first.recordValue(2_000);
        org.HdrHistogram.Histogram second = new org.HdrHistogram.Histogram(3);
        second.recordValue(9_000_000);

        LoadStep.Outcome a = new LoadStep.Outcome(first, 2, 0, 1_000_000_000L, null);
        LoadStep.Outcome b = new LoadStep.Outcome(second, 1, 1, 2_000_000_000L, "timeout");
        LoadStep.Outcome both = a.plus(b);

        assertThat(both.completed()).isEqualTo(3);
        assertThat(both.errors()).isEqualTo(1);
        assertThat(both.elapsedNanos()).isEqualTo(3_000_000_000L);
        assertThat(both.achievedPerSecond()).isEqualTo(1.0);
        assertThat(both.latency().getTotalCount()).isEqualTo(3);
        assertThat(both.latency().getMaxValue()).isGreaterThanOrEqualTo(9_000_000);
        assertThat(both.lastError()).isEqualTo("timeout");
        assertThat(a.plus(new LoadStep.Outcome(new org.HdrHistogram.Histogram(3), 0, 0, 1, null)).lastError()).isNull();
        assertThat(first.getTotalCount()).as("the first slice's histogram is not changed").isEqualTo(2);
    }
}
