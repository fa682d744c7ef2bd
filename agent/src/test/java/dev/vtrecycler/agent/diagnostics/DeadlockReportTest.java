package dev.vtrecycler.agent.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What /threads shows of the deadlock check: cycles, and (JDK 21-23) virtual threads blocked on a monitor the JDK does not name. */
class DeadlockReportTest {
    private static final LockGraph.Node ONE = new LockGraph.Node(31, "one", true);
    private static final LockGraph.Node TWO = new LockGraph.Node(33, "two", false);
    private static final LockGraph.Cycle CYCLE = LockGraph.cycles(List.of(
            new LockGraph.Edge(ONE, "java.util.concurrent.locks.ReentrantLock$NonfairSync@1", 33),
            new LockGraph.Edge(TWO, "java.lang.Object@2", 31))).get(0);

    @Test
    void nothingFound() {
        DeadlockDetector.Report report = new DeadlockDetector.Report(List.of(), List.of(), System.nanoTime(), true);
        assertThat(report.describe()).startsWith("Deadlock check (").endsWith("no cycle of lock owners\n");
        assertThat(report.json()).isEqualTo("[]");
        assertThat(report.unnamedMonitorWaitsJson()).isEqualTo("[]");
    }

    @Test
    void cycleAndUnnamedMonitorWaits() {
        LockGraph.Node blocked = new LockGraph.Node(41, "monitor-\"virtual\"", true);
        DeadlockDetector.Report report = new DeadlockDetector.Report(List.of(CYCLE), List.of(blocked), System.nanoTime(), true);
        assertThat(report.describe()).contains("1 cycle\n", "  cycle of 2 threads:\n",
                "    #31 \"one\" virtual waits for <java.util.concurrent.locks.ReentrantLock$NonfairSync@1> held by #33 \"two\" platform\n",
                "    #33 \"two\" platform waits for <java.lang.Object@2> held by #31 \"one\" virtual\n")
                .endsWith("  blocked entering a monitor that this JDK does not name (before JDK 25), so not in any cycle:\n"
                        + "    #41 \"monitor-\"virtual\"\" virtual\n");
        assertThat(report.unnamedMonitorWaitsJson()).isEqualTo("[{\"tid\": \"41\", \"name\": \"monitor-\\\"virtual\\\"\", \"virtual\": true}]");
    }

    @Test
    void notRunYet() {
        assertThat(new DeadlockDetector.Report(List.of(), List.of(), 0, false).describe()).isEqualTo("Deadlock check: not run yet\n");
    }
}
