package dev.vtrecycler.demo.ab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vtrecycler.demo.measure.ProcessStats;
import dev.vtrecycler.demo.serve.ServerKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Per-round pairing, medians and the rotating run order, on hand-made runs. */
class ServiceAbResultsTest {
    private static final Load MAX = Load.max(64);
    private static final List<ServiceConfig> CONFIGS =
            List.of(ServiceConfig.NO_AGENT, ServiceConfig.OBSERVE, ServiceConfig.RECYCLE);
    private static final ServiceAb.Plan PLAN = new ServiceAb.Plan(List.of(MAX), 3, Duration.ofSeconds(1),
            Duration.ofSeconds(1), "48m", dev.vtrecycler.demo.serve.RequestWork.EMPTY, 0, false);

    private static ServerRun run(ServiceConfig config, int round, double rate, long errors) {
        ProcessStats server = new ProcessStats(1_000_000_000L, 1_000_000L, 1, 1, 1, 1000);
        StepResult step = new StepResult(rate, 1e6, 2e6, 3e6, 1000, errors, server);
        return new ServerRun(ServerKind.JDK, config, round, Map.of(MAX, step), new LoadAverage(1.5, 2.0),
                config.hasAgent() ? Map.of("vtrecycler_tasks_total{source=\"global\"}", 100.0 * round) : Map.of());
    }

    private static ServiceAbResults results() {
        List<ServerRun> runs = new ArrayList<>();
        // round 1: 1000 / 990 / 900; round 2: 2000 / 2000 / 1900; round 3: no-agent failed, 1000 / 500
        runs.add(run(ServiceConfig.NO_AGENT, 1, 1000, 0));
        runs.add(run(ServiceConfig.OBSERVE, 1, 990, 0));
        runs.add(run(ServiceConfig.RECYCLE, 1, 900, 2));
        runs.add(run(ServiceConfig.RECYCLE, 2, 1900, 1));
        runs.add(run(ServiceConfig.NO_AGENT, 2, 2000, 0));
        runs.add(run(ServiceConfig.OBSERVE, 2, 2000, 0));
        runs.add(run(ServiceConfig.OBSERVE, 3, 1000, 0));
        runs.add(run(ServiceConfig.RECYCLE, 3, 500, 0));
        return new ServiceAbResults(PLAN, List.of(ServerKind.JDK), CONFIGS, runs, List.of("jdk no agent round 3: x"));
    }

    @Test
    void ratiosPairRunsOfTheSameRoundAndSkipRoundsWithoutTheBaseline() {
        ServiceAbResults results = results();

        assertThat(results.perRoundRatios(ServerKind.JDK, ServiceConfig.RECYCLE, ServiceConfig.NO_AGENT, MAX,
                StepResult::achievedPerSecond)).containsExactly(0.9, 0.95);
        assertThat(results.perRoundRatios(ServerKind.JDK, ServiceConfig.RECYCLE, ServiceConfig.OBSERVE, MAX,
                StepResult::achievedPerSecond)).hasSize(3);
        // median of 900/990, 1900/2000, 500/1000 = 0.909, 0.95, 0.5
        assertThat(results.medianRatio(ServerKind.JDK, ServiceConfig.RECYCLE, ServiceConfig.OBSERVE, MAX,
                StepResult::achievedPerSecond)).isCloseTo(900.0 / 990, within(1e-9));
        assertThat(results.medianRatio(ServerKind.TOMCAT, ServiceConfig.RECYCLE, ServiceConfig.OBSERVE, MAX,
                StepResult::achievedPerSecond)).isNaN();
        assertThat(results.failedRequests(ServerKind.JDK, ServiceConfig.RECYCLE, MAX)).isEqualTo(3);
        assertThat(results.steps(ServerKind.JDK).get(new ServiceAb.Key(ServiceConfig.NO_AGENT, MAX))).hasSize(2);
    }

    @Test
    void theServerSummaryPrintsRatiosFailuresLoadAndRecyclerSeries() {
        String text = new ServiceReport(results(), ServerKind.JDK).render();

        assertThat(text).contains("requests/s vs no agent, median per-round ratio (rounds)")
                .contains("0.925x (0.90 0.95)") // recycle vs no agent: rounds 1 and 2
                .contains("requests/s vs mode=observe, median per-round ratio (rounds)")
                .contains("0.909x (0.91 0.95 0.50)")
                .contains("server CPU per request vs mode=observe")
                .contains("server CPU per request without the JIT's vs mode=observe")
                .contains("bytes per request vs no agent")
                .contains("failed requests, all rounds")
                .contains("load average (1 min) during the runs")
                .containsPattern("mode=recycle +vtrecycler_tasks_total\\{source=\"global\"\\} +200 +100 200 300");
    }

    /** Over a cycle of rounds: each configuration in each position, and right after each other one, equally often. */
    @ParameterizedTest(name = "{0} configurations")
    @ValueSource(ints = {2, 3, 4, 5})
    void roundsBalanceEachConfigurationsPositionAndPredecessor(int n) {
        List<ServiceConfig> configs = List.of(ServiceConfig.values()).subList(0, n);
        int cycle = n % 2 == 0 ? n : 2 * n;
        int times = cycle / n;
        int[][] atPosition = new int[n][n];
        int[][] after = new int[n][n];
        for (int round = 1; round <= cycle; round++) {
            List<ServiceConfig> order = ServiceAb.order(configs, round);
            assertThat(order).as("round %d", round).containsExactlyInAnyOrderElementsOf(configs);
            for (int i = 0; i < n; i++) {
                atPosition[configs.indexOf(order.get(i))][i]++;
                if (i > 0) {
                    after[configs.indexOf(order.get(i))][configs.indexOf(order.get(i - 1))]++;
                }
            }
        }
        for (int c = 0; c < n; c++) {
            for (int other = 0; other < n; other++) {
                assertThat(atPosition[c][other]).as("%s at position %d", configs.get(c), other).isEqualTo(times);
                assertThat(after[c][other]).as("%s right after %s", configs.get(c), configs.get(other))
                        .isEqualTo(c == other ? 0 : times);
            }
        }
        assertThat(ServiceAb.order(configs, 1).get(0)).isEqualTo(configs.get(0));
        assertThat(ServiceAb.order(configs, cycle + 1)).isEqualTo(ServiceAb.order(configs, 1));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} s -> {1} slices")
    @org.junit.jupiter.params.provider.CsvSource({"1, 1", "2, 1", "3, 2", "4, 2", "6, 3", "8, 4", "9, 5", "60, 30"})
    void anInterleavedStepIsTakenInSlicesOfAtMostTwoSeconds(int seconds, int slices) {
        assertThat(ServiceAb.slices(Duration.ofSeconds(seconds))).isEqualTo(slices);
        assertThat(Duration.ofSeconds(seconds).dividedBy(slices)).isLessThanOrEqualTo(ServiceAb.SLICE);
    }
}
