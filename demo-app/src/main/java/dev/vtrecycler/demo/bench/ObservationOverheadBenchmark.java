package dev.vtrecycler.demo.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What observation costs: start and join short virtual threads, once without the agent and once
 * with {@code mode=observe} (the same benchmark, a different fork argument):
 *
 * <pre>
 * java -cp demo-app/target/vtrecycler-demo.jar org.openjdk.jmh.Main ObservationOverhead -prof gc
 * java -cp demo-app/target/vtrecycler-demo.jar org.openjdk.jmh.Main ObservationOverhead -prof gc \
 *      -jvmArgsAppend -javaagent:agent/target/vtrecycler-agent.jar=mode=observe,port=none
 * </pre>
 *
 * The threads are kept (joined), so routing never applies: this measures the hooks alone. One
 * operation is one virtual thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(3)
public class ObservationOverheadBenchmark {
    private static final int THREADS = 1_000;

    @Benchmark
    @OperationsPerInvocation(THREADS)
    public void startAndJoin() throws InterruptedException {
        Thread[] threads = new Thread[THREADS];
        for (int i = 0; i < THREADS; i++) {
            threads[i] = Thread.ofVirtual().unstarted(ObservationOverheadBenchmark::work);
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static void work() {
        Thread.onSpinWait();
    }
}
