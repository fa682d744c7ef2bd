package dev.vtrecycler.demo.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compilers' CPU time from a {@code /proc/self/task}-shaped directory, and from this JVM's own. */
class CompilerCpuTest {

    private static void thread(Path tasks, String tid, String comm, String schedstat) throws IOException {
        Path dir = Files.createDirectories(tasks.resolve(tid));
        Files.writeString(dir.resolve("comm"), comm + "\n");
        if (schedstat != null) {
            Files.writeString(dir.resolve("schedstat"), schedstat + "\n");
        }
    }

    @Test
    void sumsTheCompilerThreadsOnly(@TempDir Path tasks) throws IOException {
        thread(tasks, "101", "C2 CompilerThre", "787978617 350485807 2680");
        thread(tasks, "102", "C1 CompilerThre", "242799732 191340713 1418");
        thread(tasks, "103", "ForkJoinPool-1-", "999999999 1 1");
        thread(tasks, "104", "GC Thread#0", "555 1 1");

        assertThat(CompilerCpu.compilerThreadsOnCpu(tasks)).isEqualTo(787_978_617L + 242_799_732L);
    }

    @Test
    void aCompilerThreadThatExitedMeanwhileIsSkipped(@TempDir Path tasks) throws IOException {
        thread(tasks, "101", "C2 CompilerThre", "1000 1 1");
        thread(tasks, "102", "C1 CompilerThre", null); // its schedstat is gone: the thread exited between reads

        assertThat(CompilerCpu.compilerThreadsOnCpu(tasks)).isEqualTo(1000);
    }

    @Test
    void noCompilerThreadOrNoDirectoryIsUnknown(@TempDir Path tasks) throws IOException {
        thread(tasks, "103", "main", "5 1 1");

        assertThat(CompilerCpu.compilerThreadsOnCpu(tasks)).as("an interpreter-only JVM").isEqualTo(-1);
        assertThat(CompilerCpu.compilerThreadsOnCpu(tasks.resolve("absent"))).isEqualTo(-1);
    }

    /** Readings a test hands out in turn. */
    private static LongSupplier readings(Long... values) {
        Iterator<Long> next = List.of(values).iterator();
        return () -> next.next();
    }

    @Test
    void theSourceIsChosenAtTheFirstReadAndAFailedLaterReadRepeatsTheLastReading() {
        CompilerCpu jvm = new CompilerCpu(readings(100L, 250L, -1L, 400L), readings(999_999L));

        assertThat(jvm.read()).isEqualTo(100);
        assertThat(jvm.read()).isEqualTo(250);
        assertThat(jvm.read()).as("/proc unreadable once: the last reading, not the MXBean's elapsed time").isEqualTo(250);
        assertThat(jvm.read()).isEqualTo(400);
    }

    @Test
    void noProcAtTheFirstReadMeansTheElapsedTimeForTheJvmsLife() {
        CompilerCpu jvm = new CompilerCpu(readings(-1L, 5L, 6L), readings(1_000L, 3_000L, 7_000L));

        assertThat(jvm.read()).isEqualTo(1_000);
        assertThat(jvm.read()).as("/proc readable later: still the elapsed time, so deltas stay in one unit").isEqualTo(3_000);
        assertThat(jvm.read()).isEqualTo(7_000);
    }

    @Test
    void aSumThatDropsHoldsAtTheLastReading() {
        CompilerCpu jvm = new CompilerCpu(readings(500L, 300L, 600L), readings());

        assertThat(jvm.read()).isEqualTo(500);
        assertThat(jvm.read()).as("a compiler thread exited with its time: the delta reads 0, not negative").isEqualTo(500);
        assertThat(jvm.read()).isEqualTo(600);
    }

    @Test
    void thisJvmsCompilersHaveRunAndTheirTimeOnlyGrows() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
        long first = CompilerCpu.compilerThreadsOnCpu(Path.of("/proc/self/task"));
        long sum = 0;
        for (int i = 0; i < 200_000; i++) {
            sum += Integer.toString(i).hashCode(); // something to compile
        }
        long second = CompilerCpu.nanos();
        assertThat(first).as("a JVM that ran the test framework has compiled something").isPositive();
        assertThat(second).isGreaterThanOrEqualTo(first);
        assertThat(sum).isNotZero();
    }
}
