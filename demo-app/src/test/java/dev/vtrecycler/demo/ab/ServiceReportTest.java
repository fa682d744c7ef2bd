package dev.vtrecycler.demo.ab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.demo.measure.ProcessStats;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceReportTest {
    private static final Load SLOW = Load.rate(1000);
    private static final Load MAX = Load.max(64);
    private static final List<ServiceConfig> CONFIGS = ServiceConfig.DEFAULT;

    /**
     * Two rounds per cell, at 0.95x and 1.05x of the given figures (mean as given, spread 5%).
     * 10,000 requests per step; the server figures are per step.
     */
    private static List<StepResult> rounds(double rate, double p99Millis, double cpuMillis, long allocPerRequest, long gcs) {
        return List.of(step(rate, p99Millis, cpuMillis, allocPerRequest, gcs, 0.95), step(rate, p99Millis, cpuMillis, allocPerRequest, gcs, 1.05));
    }

    private static StepResult step(double rate, double p99Millis, double cpuMillis, long allocPerRequest, long gcs, double f) {
        long completed = 10_000;
        ProcessStats server = new ProcessStats((long) (cpuMillis * 1e6 * 10 * f), (long) (allocPerRequest * completed * f), gcs, gcs * 5, gcs * 50_000_000L, completed);
        return new StepResult(rate * f, 2e6 * f, p99Millis * 1e6 * f, 3 * p99Millis * 1e6 * f, completed, 0, server);
    }

    private static Map<ServiceAb.Key, List<StepResult>> results() {
        Map<ServiceAb.Key, List<StepResult>> r = new HashMap<>();
        r.put(new ServiceAb.Key(ServiceConfig.NO_AGENT, SLOW), rounds(1000, 4.0, 200, 7000, 2));
        r.put(new ServiceAb.Key(ServiceConfig.OBSERVE, SLOW), rounds(1000, 4.1, 220, 7000, 2));
        r.put(new ServiceAb.Key(ServiceConfig.RECYCLE, SLOW), rounds(1000, 5.0, 300, 3500, 1));
        r.put(new ServiceAb.Key(ServiceConfig.RECYCLE_NO_JVMTI, SLOW), rounds(1000, 4.1, 205, 3500, 1));
        r.put(new ServiceAb.Key(ServiceConfig.NO_AGENT, MAX), rounds(4000, 30, 150, 6000, 3));
        r.put(new ServiceAb.Key(ServiceConfig.OBSERVE, MAX), rounds(3000, 40, 180, 6000, 3));
        // mode=recycle at max failed: no entry
        r.put(new ServiceAb.Key(ServiceConfig.RECYCLE_NO_JVMTI, MAX), rounds(4100, 29, 140, 2500, 0));
        return r;
    }

    @Test
    void oneTablePerMetricWithARowPerLoadAndAColumnPerConfiguration() {
        List<String> lines = new ServiceReport(results(), List.of(SLOW, MAX), CONFIGS).table(ServiceReport.Metric.P99).lines().toList();

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("p99 latency +no agent +mode=observe +mode=recycle +recycle, JVMTI off");
        assertThat(lines.get(1)).matches("1000/s +4\\.00ms ± 5% +4\\.10ms ± 5% ~ +5\\.00ms ± 5% \\+25% +4\\.10ms ± 5% ~");
        assertThat(lines.get(2)).matches("max \\(64 in flight\\) +30\\.0ms ± 5% +40\\.0ms ± 5% \\+33% +failed +29\\.0ms ± 5% ~");
        // columns line up: every configuration's cell starts where its header does
        int recycleColumn = lines.get(0).indexOf("mode=recycle");
        assertThat(lines.get(1).indexOf("5.00ms")).isEqualTo(recycleColumn);
        assertThat(lines.get(2).indexOf("failed")).isEqualTo(recycleColumn);
    }

    @Test
    void serverFiguresArePerRequestAndPerStep() {
        ServiceReport report = new ServiceReport(results(), List.of(SLOW, MAX), CONFIGS);

        assertThat(report.table(ServiceReport.Metric.CPU).lines().toList().get(1)).startsWith("1000/s").contains("200ms ± 5%");
        assertThat(report.table(ServiceReport.Metric.JIT_TIME).lines().toList().get(1)).contains("100ms ± 0%");
        // 190-210 ms per 1,000 requests of which 10 ms were the compilers'
        assertThat(report.table(ServiceReport.Metric.CPU_WITHOUT_JIT).lines().toList().get(1)).contains("190ms ± 5%");
        assertThat(report.table(ServiceReport.Metric.ALLOC).lines().toList().get(1)).contains("7.00kB ± 5%", "3.50kB ± 5% -50%");
        assertThat(report.table(ServiceReport.Metric.GC_COUNT).lines().toList().get(2)).contains("3.00 ± 0%", "0.00 ± 0% -100%");
        assertThat(report.table(ServiceReport.Metric.ACHIEVED).lines().toList().get(2)).contains("4.00k/s ± 5%", "3.00k/s ± 5% -25%");
    }

    @Test
    void noRatioAgainstAZeroBaseline() {
        Map<ServiceAb.Key, List<StepResult>> r = new HashMap<>();
        r.put(new ServiceAb.Key(ServiceConfig.NO_AGENT, SLOW), rounds(1000, 4.0, 200, 7000, 0));
        r.put(new ServiceAb.Key(ServiceConfig.OBSERVE, SLOW), rounds(1000, 4.0, 200, 7000, 0));
        r.put(new ServiceAb.Key(ServiceConfig.RECYCLE, SLOW), rounds(1000, 4.0, 200, 7000, 1));

        List<String> lines = new ServiceReport(r, List.of(SLOW), CONFIGS).table(ServiceReport.Metric.GC_COUNT).lines().toList();

        assertThat(lines.get(1)).matches("1000/s +0\\.00 ± 0% +0\\.00 ± 0% ~ +1\\.00 ± 0% \\? +failed");
    }

    @Test
    void aVerdictPerConfigurationAgainstNoAgent() {
        List<String> verdicts = new ServiceReport(results(), List.of(SLOW, MAX), CONFIGS).render().lines()
                .filter(l -> l.startsWith("verdict ")).toList();

        assertThat(verdicts).containsExactly(
                "verdict mode=observe vs no agent (1000/s / max): p99 ~ / +33%; server CPU/1k req +10% / +20%;"
                        + " alloc/req ~ / ~; achieved at max -25%",
                "verdict mode=recycle vs no agent (1000/s / max): p99 +25% / n/a; server CPU/1k req +50% / n/a;"
                        + " alloc/req -50% / n/a; achieved at max n/a",
                "verdict recycle, JVMTI off vs no agent (1000/s / max): p99 ~ / ~; server CPU/1k req ~ / -7%;"
                        + " alloc/req -50% / -58%; achieved at max ~");
    }

    @Test
    void everyMetricHasItsTable() {
        String text = new ServiceReport(results(), List.of(SLOW, MAX), CONFIGS).render();

        for (ServiceReport.Metric metric : ServiceReport.Metric.values()) {
            assertThat(text).contains(metric.title + "   ");
        }
    }
}
