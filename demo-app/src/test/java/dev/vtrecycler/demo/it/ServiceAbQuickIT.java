package dev.vtrecycler.demo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code service-ab --quick} end to end (Jetty): four server JVMs (no agent, observe, recycle, recycle with
 * JVMTI transitions off), every table filled for every configuration, a verdict per configuration.
 * A smoke run: the figures themselves are not asserted.
 */
class ServiceAbQuickIT {
    private static final String CELL = "\\d+(\\.\\d+)?(k|M)?(/s|ns|µs|ms|s|B|kB|MB|GB)? ±\\s?\\d+%";

    @Test
    void everyTableHasEveryConfigurationAndAVerdictEach() throws Exception {
        DemoJar.Result result = DemoJar.run(300, "service-ab", "--quick");

        assertThat(result.exitCode()).as("stderr:\n" + result.stderr()).isZero();
        List<String> lines = result.stdout().lines().toList();
        for (String title : List.of("achieved rate", "p50 latency", "p99 latency", "p99.9 latency",
                "server CPU per 1,000 requests", "server bytes allocated per request", "server GCs per step",
                "server GC time per step")) {
            assertThat(lines).as(result.stdout())
                    .anyMatch(l -> l.matches(java.util.regex.Pattern.quote(title)
                            + " +no agent +mode=observe +mode=recycle +recycle, JVMTI off"));
        }
        // the eight metric tables come before the verdicts; the per-round summary follows them
        List<String> tables = lines.subList(0, lines.indexOf(lines.stream().filter(l -> l.startsWith("verdict ")).findFirst()
                .orElseThrow()));
        List<String> rows = tables.stream().filter(l -> l.startsWith("200/s ") || l.startsWith("max (16 in flight) ")).toList();
        assertThat(rows).hasSize(2 * 8);
        for (String row : rows) {
            assertThat(row).as(row).doesNotContain("failed")
                    .matches(".*? +" + CELL + " +" + CELL + " \\S+ +" + CELL + " \\S+ +" + CELL + " \\S+");
        }
        assertThat(lines.stream().filter(l -> l.startsWith("verdict "))).hasSize(3);
        assertThat(result.stderr()).contains("recycle, JVMTI off round 1: max (16 in flight): achieved")
                .contains("[vtrecycler] 0.1.0").doesNotContain("Sharing is only supported");
        assertThat(lines).noneMatch(l -> l.contains(" errors (last:"));
        assertThat(lines).contains("== jetty: Jetty 12, handlers on Executors.newVirtualThreadPerTaskExecutor() (Jetty "
                + org.eclipse.jetty.util.Jetty.VERSION + ")");
        for (String summary : List.of("requests/s vs no agent, median per-round ratio (rounds)",
                "requests/s vs mode=observe, median per-round ratio (rounds)",
                "server CPU per request vs mode=observe, median per-round ratio (rounds)",
                "bytes per request vs no agent, median per-round ratio (rounds)")) {
            assertThat(lines).anyMatch(l -> l.startsWith(summary));
        }
        // the failed-requests table: a zero for each configuration at each load
        assertThat(lines).anyMatch(l -> l.matches("max \\(16 in flight\\) +0 +0 +0 +0"));
        assertThat(lines).anyMatch(l -> l.matches("mode=recycle +vtrecycler_tasks_total\\{source=\"global\"\\} +[\\d,]+ +[\\d,]+"));
    }
}
