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
                "server CPU per 1,000 requests", "server CPU per 1,000 requests, JIT compilers excluded",
                "server bytes allocated per request", "server GCs per step", "server GC time per step",
                "server JIT compile time per step")) {
            assertThat(lines).as(result.stdout())
                    .anyMatch(l -> l.matches(java.util.regex.Pattern.quote(title)
                            + " +no agent +mode=observe +mode=recycle +recycle, JVMTI off"));
        }
        // the ten metric tables come before the verdicts; the per-round summary follows them
        List<String> tables = lines.subList(0, lines.indexOf(lines.stream().filter(l -> l.startsWith("verdict ")).findFirst()
                .orElseThrow()));
        List<String> rows = tables.stream().filter(l -> l.startsWith("200/s ") || l.startsWith("max (16 in flight) ")).toList();
        assertThat(rows).hasSize(2 * 10);
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

    /**
     * {@code --interleave}: a round's JVMs all start before any warm-up, and each step is taken by every
     * JVM of the round, in 2 s slices, before the next step begins; round 2 takes them in the other order.
     */
    @Test
    void interleavedRoundsRunTheirJvmsAtOnceStepByStep() throws Exception {
        DemoJar.Result result = DemoJar.run(300, "service-ab", "--quick", "--interleave", "--rounds", "2",
                "--configs", "no-agent,recycle", "--warmup", "1", "--step", "4");

        assertThat(result.exitCode()).as("stderr:\n" + result.stderr()).isZero();
        List<String> progress = result.stderr().lines().filter(l -> l.startsWith("service-ab [")).toList();
        for (int round = 1; round <= 2; round++) {
            String first = round == 1 ? "no agent" : "mode=recycle";
            String second = round == 1 ? "mode=recycle" : "no agent";
            int firstStart = indexOf(progress, first + " round " + round + ": starting the server JVM");
            int secondStart = indexOf(progress, second + " round " + round + ": starting the server JVM");
            int firstWarmup = indexOf(progress, first + " round " + round + ": warm-up");
            int firstRate = indexOf(progress, first + " round " + round + ": 200/s: achieved");
            int secondRate = indexOf(progress, second + " round " + round + ": 200/s: achieved");
            int firstMax = indexOf(progress, first + " round " + round + ": max (16 in flight): achieved");
            int secondMax = indexOf(progress, second + " round " + round + ": max (16 in flight): achieved");
            assertThat(List.of(firstStart, secondStart, firstWarmup)).as(String.join("\n", progress)).isSorted();
            assertThat(List.of(firstRate, secondRate, firstMax, secondMax)).as(String.join("\n", progress)).isSorted();
            assertThat(progress.get(firstMax)).endsWith("(2 slices)");
        }
        assertThat(result.stdout()).contains("a round's JVMs running at once, each step taken by each in turn")
                .containsPattern("max \\(16 in flight\\) +0 +0");
    }

    private static int indexOf(List<String> lines, String fragment) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i;
            }
        }
        throw new AssertionError("no progress line contains '" + fragment + "' in:\n" + String.join("\n", lines));
    }
}
