package dev.vtrecycler.demo.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The churn the observation hooks are judged on: one virtual thread starts {@value #TASKS} empty
 * tasks and waits for them, at {@code -Djdk.virtualThreadScheduler.parallelism=1}. One operation is
 * one virtual thread, so the score is nanoseconds per thread.
 *
 * <ul>
 *   <li>{@code startJoin}: the spawner keeps every {@code Thread} and joins them all.</li>
 *   <li>{@code fireAndForget}: the spawner drops every {@code Thread} and waits on a countdown the
 *       last task releases (the shape the recycler would route in {@code mode=recycle}; in
 *       {@code mode=observe} nothing is routed).</li>
 * </ul>
 *
 * Which JVM it runs in (no agent, an empty agent, {@code mode=observe}) is the fork's argument:
 * {@link ObservationFloor} runs the three side by side, interleaved, and prints the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Djdk.virtualThreadScheduler.parallelism=1"})
public class ObservationFloorBenchmark {
    public static final int TASKS = 10_000;

    private final RecyclerChurnBenchmark.Countdown countdown = new RecyclerChurnBenchmark.Countdown();
    private final Thread[] threads = new Thread[TASKS];

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public void startJoin() throws Throwable {
        startJoin(threads);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public void fireAndForget() throws Throwable {
        fireAndForget(countdown);
    }

    /** One op of start+join churn: {@value #TASKS} threads kept in {@code kept}, then joined. */
    static void startJoin(Thread[] kept) throws Throwable {
        RecyclerChurnBenchmark.runSpawner(() -> {
            for (int i = 0; i < TASKS; i++) {
                kept[i] = Thread.startVirtualThread(ObservationFloorBenchmark::empty);
            }
            try {
                for (int i = 0; i < TASKS; i++) {
                    kept[i].join();
                    kept[i] = null;
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** One op of fire-and-forget churn: {@value #TASKS} threads dropped, the last one releases the countdown. */
    static void fireAndForget(RecyclerChurnBenchmark.Countdown c) throws Throwable {
        RecyclerChurnBenchmark.runSpawner(() -> {
            c.reset(Thread.currentThread());
            for (int i = 0; i < TASKS; i++) {
                Thread.startVirtualThread(c);
            }
            c.await();
        });
    }

    private static void empty() {}
}
