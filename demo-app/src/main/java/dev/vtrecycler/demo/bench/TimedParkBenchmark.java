package dev.vtrecycler.demo.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One timed park of a virtual thread per operation (issue 19), the two ways it ends:
 * <ul>
 *   <li>{@code timeout}: the benchmark thread wakes a parked virtual thread, which then does
 *       {@code parkNanos(20 µs)} that times out (plus the untimed wake-up that starts it);</li>
 *   <li>{@code earlyWake}: a virtual thread in {@code parkNanos(10 s)} is unparked by the benchmark
 *       thread as soon as it is parked (the timeout is cancelled: a socket or lock timeout that
 *       does not expire).</li>
 *   <li>{@code earlyWakeNearDeadline}: the same with {@code parkNanos(200 µs)}: the timeouts an early
 *       wake-up leaves behind come due every few dozen parks (with the agent, each such stale timeout
 *       fires and arms the thread's other task), and under load some parks time out first.</li>
 * </ul>
 * The harness allocates nothing per operation, so {@code gc.alloc.rate.norm} is what the JDK's
 * scheduling allocates per timed park (JMH counts carrier and delay-scheduler threads too).
 *
 * <pre>
 * java -cp demo-app/target/vtrecycler-demo.jar org.openjdk.jmh.Main TimedParkBenchmark -prof gc
 * java -cp demo-app/target/vtrecycler-demo.jar org.openjdk.jmh.Main TimedParkBenchmark -prof gc \
 *      -jvmArgsAppend -javaagent:agent/target/vtrecycler-agent.jar=mode=schedule,port=none
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Djdk.virtualThreadScheduler.parallelism=1"})
public class TimedParkBenchmark {
    private static final long SHORT_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long LONG_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long NEAR_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private volatile boolean running;
    private volatile long completed; // one writer at a time: each benchmark method drives one thread
    private Thread timesOut;
    private Thread wokenEarly;

    @Setup(Level.Trial)
    public void start() {
        running = true;
        timesOut = Thread.ofVirtual().name("times-out").start(() -> {
            while (running) {
                LockSupport.park();            // the benchmark thread starts each operation
                LockSupport.parkNanos(SHORT_NANOS); // nobody unparks: it times out
                completed++;
            }
        });
        wokenEarly = Thread.ofVirtual().name("woken-early").start(() -> {
            while (running) {
                LockSupport.parkNanos(LONG_NANOS); // the benchmark thread unparks it
                completed++;
            }
        });
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        running = false;
        LockSupport.unpark(timesOut);
        LockSupport.unpark(wokenEarly);
        timesOut.join();
        wokenEarly.join();
    }

    @Benchmark
    public long timeout() {
        long before = completed;
        LockSupport.unpark(timesOut);
        return awaitCompletion(before);
    }

    @Benchmark
    public long earlyWake() {
        long before = completed;
        while (wokenEarly.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait(); // parked with its timeout armed, not still on its way there
        }
        LockSupport.unpark(wokenEarly);
        return awaitCompletion(before);
    }

    /** Its own thread and count, made only in the forks of {@link #earlyWakeNearDeadline}: it parks on its own. */
    @State(Scope.Benchmark)
    public static class NearDeadline {
        private volatile boolean running;
        private volatile long completed;
        private Thread thread;

        @Setup(Level.Trial)
        public void start() {
            running = true;
            thread = Thread.ofVirtual().name("woken-near-deadline").start(() -> {
                while (running) {
                    LockSupport.parkNanos(NEAR_NANOS); // unparked by the benchmark thread, or times out
                    completed++;
                }
            });
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    @Benchmark
    public long earlyWakeNearDeadline(NearDeadline near) {
        long before = near.completed;
        while (near.thread.getState() != Thread.State.TIMED_WAITING && near.completed == before) {
            Thread.onSpinWait();
        }
        LockSupport.unpark(near.thread);
        long now;
        while ((now = near.completed) == before) {
            Thread.onSpinWait();
        }
        return now;
    }

    private long awaitCompletion(long before) {
        long now;
        while ((now = completed) == before) {
            Thread.onSpinWait();
        }
        return now;
    }
}
