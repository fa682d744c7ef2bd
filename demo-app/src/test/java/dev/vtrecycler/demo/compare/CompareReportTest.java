package dev.vtrecycler.demo.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.demo.measure.ResultLine;
import dev.vtrecycler.demo.measure.Stats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompareReportTest {

    private static RunResult run(long nanos, long bytes, ResultLine.Reuse reuse) {
        List<ResultLine.Measurement> ms = new ArrayList<>();
        // 0.97x, 1.00x, 1.03x: mean as given, spread 3%
        ms.add(new ResultLine.Measurement(1, nanos * 97 / 100, bytes * 97 / 100));
        ms.add(new ResultLine.Measurement(2, nanos, bytes));
        ms.add(new ResultLine.Measurement(3, nanos * 103 / 100, bytes * 103 / 100));
        return new RunResult(ms, reuse, true, null);
    }

    private static Map<Cell, RunResult> sieveResults() {
        Map<Cell, RunResult> results = new HashMap<>();
        for (int p : List.of(1, 2)) {
            results.put(new Cell(Workload.SIEVE, p, AgentConfig.NO_AGENT), run(1_000_000_000L, 5_820_000, null));
            results.put(new Cell(Workload.SIEVE, p, AgentConfig.OBSERVE), run(1_010_000_000L, 5_900_000, null));
            results.put(new Cell(Workload.SIEVE, p, AgentConfig.RECYCLE),
                    run(1_050_000_000L, 1_830_000, new ResultLine.Reuse(1001, 40)));
            results.put(new Cell(Workload.SIEVE, p, AgentConfig.RECYCLE_JDK_WAKEUPS),
                    run(1_250_000_000L, 5_000_000, new ResultLine.Reuse(1001, 42)));
            results.put(new Cell(Workload.SIEVE, p, AgentConfig.SCHEDULE), run(860_000_000L, 590_000, null));
        }
        return results;
    }

    @Test
    void tableHasTheSeedsLayout() {
        CompareReport report = new CompareReport(sieveResults(), List.of(1, 2));

        List<String> lines = report.render(List.of(Workload.SIEVE)).lines().toList();

        assertThat(lines.get(0)).matches("With recycling +Without recycling +Thread recycling only \\(wakeups=jdk\\)"
                + " +Scheduling only \\(mode=schedule\\)");
        assertThat(lines.get(1)).matches("name +time/op +name +time/op +name +time/op +name +time/op");
        assertThat(lines.get(2)).matches("PrimeNumber +1\\.05s ± 3% +PrimeNumber +1\\.00s ± 3% +PrimeNumber +1\\.25s ± 3%"
                + " +PrimeNumber +860ms ± 3%");
        assertThat(lines.get(3)).matches("PrimeNumber-2 +1\\.05s ± 3% +PrimeNumber-2 +1\\.00s ± 3% +PrimeNumber-2 +1\\.25s ± 3%"
                + " +PrimeNumber-2 +860ms ± 3%");
        assertThat(lines.get(4)).isEmpty();
        assertThat(lines.get(5)).matches("name +alloc/op +name +alloc/op +name +alloc/op +name +alloc/op");
        assertThat(lines.get(6)).matches("PrimeNumber +1\\.83MB ± 3% +PrimeNumber +5\\.82MB ± 3% +PrimeNumber +5\\.00MB ± 3%"
                + " +PrimeNumber +590kB ± 3%");
        // the columns line up: each column's title and name start at the same place in every row
        List<Integer> starts = new ArrayList<>();
        for (int from = 0; (from = lines.get(1).indexOf("name", from)) >= 0; from++) {
            starts.add(from);
        }
        assertThat(starts).hasSize(4).startsWith(0);
        assertThat(List.of(lines.get(0).indexOf("Without"), lines.get(0).indexOf("Thread"), lines.get(0).indexOf("Scheduling")))
                .isEqualTo(starts.subList(1, 4));
        for (String row : List.of(lines.get(2), lines.get(3))) {
            String name = row.substring(0, row.indexOf(' '));
            int second = row.indexOf(name + " ", 1);
            assertThat(List.of(second, row.indexOf(name + " ", second + 1), row.lastIndexOf(name + " "))).as(row)
                    .isEqualTo(starts.subList(1, 4));
        }
        // the values end at the same place too (right-aligned under their unit)
        assertThat(lines.get(2).length()).isEqualTo(lines.get(3).length());
    }

    @Test
    void comparisonsGiveRatiosPerRowAndTheVerdictSumsUp() {
        List<String> lines = new CompareReport(sieveResults(), List.of(1, 2)).render(List.of(Workload.SIEVE)).lines().toList();

        assertThat(lines.subList(9, 28)).containsExactly(
                "observe overhead (mode=observe vs no agent):",
                "  PrimeNumber    time/op x1.01 (+1%, within noise), alloc/op x1.01 (+1%, within noise)",
                "  PrimeNumber-2  time/op x1.01 (+1%, within noise), alloc/op x1.01 (+1%, within noise)",
                "recycling alone (mode=recycle vs mode=observe):",
                "  PrimeNumber    time/op x1.04 (+4%), alloc/op x0.31 (-69%)",
                "  PrimeNumber-2  time/op x1.04 (+4%), alloc/op x0.31 (-69%)",
                "thread recycling alone (mode=recycle,wakeups=jdk vs mode=observe):",
                "  PrimeNumber    time/op x1.24 (+24%), alloc/op x0.85 (-15%)",
                "  PrimeNumber-2  time/op x1.24 (+24%), alloc/op x0.85 (-15%)",
                "wake-up reuse alone (mode=recycle vs mode=recycle,wakeups=jdk):",
                "  PrimeNumber    time/op x0.84 (-16%), alloc/op x0.37 (-63%)",
                "  PrimeNumber-2  time/op x0.84 (-16%), alloc/op x0.37 (-63%)",
                "allocation-free scheduling alone (mode=schedule vs mode=observe):",
                "  PrimeNumber    time/op x0.85 (-15%), alloc/op x0.10 (-90%)",
                "  PrimeNumber-2  time/op x0.85 (-15%), alloc/op x0.10 (-90%)",
                "threads with mode=recycle (extra unmeasured ops): PrimeNumber 1001 tasks on 40 threads;"
                        + " PrimeNumber-2 1001 tasks on 40 threads",
                "threads with mode=recycle,wakeups=jdk (extra unmeasured ops): PrimeNumber 1001 tasks on 42 threads;"
                        + " PrimeNumber-2 1001 tasks on 42 threads",
                "verdict PrimeNumber (mode=recycle vs no agent; PrimeNumber / PrimeNumber-2):"
                        + " time/op +5% / +5%; alloc/op -69% / -69%",
                "");
    }

    @Test
    void verdictSaysWhichRowsAreWithinNoise() {
        Map<Cell, RunResult> results = sieveResults();
        results.put(new Cell(Workload.SIEVE, 2, AgentConfig.RECYCLE),
                run(1_020_000_000L, 5_820_000, new ResultLine.Reuse(1001, 40)));

        String verdict = new CompareReport(results, List.of(1, 2)).verdict(Workload.SIEVE);

        assertThat(verdict).endsWith("time/op +5% / +2% (within noise: PrimeNumber-2); alloc/op -69% / ~0% (within noise: PrimeNumber-2)");
    }

    @Test
    void failedRunsShowAsFailedNotAsNumbers() {
        Map<Cell, RunResult> results = sieveResults();
        results.put(new Cell(Workload.SIEVE, 2, AgentConfig.RECYCLE), new RunResult(List.of(), null, false, "exit code 134"));

        String text = new CompareReport(results, List.of(1, 2)).render(List.of(Workload.SIEVE));

        assertThat(text).containsPattern("PrimeNumber-2 +failed +PrimeNumber-2 +1\\.00s ± 3% +PrimeNumber-2 +1\\.25s ± 3%");
        assertThat(text).contains("  PrimeNumber-2  n/a (a run failed)");
        assertThat(text).contains("time/op n/a (a run failed); alloc/op n/a (a run failed)");
    }

    @Test
    void noReuseIsCalledOut() {
        Map<Cell, RunResult> results = sieveResults();
        results.put(new Cell(Workload.SIEVE, 1, AgentConfig.RECYCLE),
                run(1_000_000_000L, 5_820_000, new ResultLine.Reuse(1001, 1001)));

        String text = new CompareReport(results, List.of(1, 2)).render(List.of(Workload.SIEVE));

        assertThat(text).contains("PrimeNumber 1001 tasks on 1001 threads (no thread reused: recycling did not happen)");
    }

    @Test
    void spreadLooksLikeBenchstat() {
        assertThat(CompareReport.spread(3.2)).isEqualTo("± 3%");
        assertThat(CompareReport.spread(21)).isEqualTo("±21%");
        assertThat(CompareReport.Change.of(Stats.of(new double[] {2}), Stats.of(new double[] {1})).describe("time/op"))
                .isEqualTo("time/op x2.00 (+100%)");
    }
}
