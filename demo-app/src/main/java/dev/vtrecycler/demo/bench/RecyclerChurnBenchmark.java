package dev.vtrecycler.demo.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Churn: one virtual thread starts 10,000 short tasks and waits for them, on fresh virtual threads
 * ({@code plain}) or on the recycler ({@code recycled}, through the call a routed
 * {@code Thread.startVirtualThread(task);} statement makes, see {@link RecyclerLink}). Per task,
 * the harness itself allocates nothing: one shared task object counts down one AtomicInteger and
 * the last task unparks the spawner, so {@code gc.alloc.rate.norm} / 10,000 is the per-task cost
 * of the thread mechanism.
 *
 * <pre>
 * java -cp demo-app/target/vtrecycler-demo.jar org.openjdk.jmh.Main RecyclerChurnBenchmark -prof gc \
 *      -jvmArgsAppend -javaagent:agent/target/vtrecycler-agent.jar=mode=recycle,fallback=off
 * </pre>
 * (The plain arm is unaffected by the agent: it keeps each Thread in a local, so no routing applies.)
 *
 * <p>{@code executor}: the same churn through {@code execute} of one
 * {@code Executors.newVirtualThreadPerTaskExecutor()} kept for the whole trial: the JDK's
 * thread-per-task executor without the agent, the recycling executor with {@code mode=recycle}. Its
 * {@code gc.alloc.rate.norm} / 10,000 is what one {@code execute} costs, thread included.
 *
 * <p>{@code executorThreadLocal}: {@code executor} with a task that sets a thread-local first, as a
 * web framework's request holders do: a fresh thread makes a thread-local map and its table for it
 * (104 B besides the 32 B entry); a recycled one keeps its emptied map.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RecyclerChurnBenchmark {
    public static final int TASKS = 10_000;

    /** The shared per-task body: count down, the last one wakes the spawner. */
    static class Countdown implements Runnable {
        final AtomicInteger remaining = new AtomicInteger();
        volatile Thread waiter;

        void reset(Thread spawner) {
            waiter = spawner;
            remaining.set(TASKS);
        }

        @Override
        public void run() {
            if (remaining.decrementAndGet() == 0) {
                LockSupport.unpark(waiter);
            }
        }

        void await() {
            while (remaining.get() != 0) {
                LockSupport.park(this);
            }
        }
    }

    /** A thread-local each {@code executorThreadLocal} task sets. */
    static final ThreadLocal<Object> REQUEST = new ThreadLocal<>();

    /** {@link Countdown} that sets {@link #REQUEST} first. */
    static final class CountdownSettingALocal extends Countdown {
        @Override
        public void run() {
            REQUEST.set(this);
            super.run();
        }
    }

    private final Countdown countdown = new Countdown();
    private final Countdown settingALocal = new CountdownSettingALocal();
    private ExecutorService executor;

    @Setup
    public void openExecutor() {
        executor = Executors.newVirtualThreadPerTaskExecutor();
    }

    @TearDown
    public void closeExecutor() {
        executor.close();
    }

    @Benchmark
    public void plain() throws Throwable {
        Countdown c = countdown;
        runSpawner(() -> {
            c.reset(Thread.currentThread());
            for (int i = 0; i < TASKS; i++) {
                Thread t = Thread.startVirtualThread(c); // kept in a local: never routed by the agent
            }
            c.await();
        });
    }

    @Benchmark
    public void recycled(RecyclerLink.Required recycler) throws Throwable {
        Countdown c = countdown;
        runSpawner(() -> {
            c.reset(Thread.currentThread());
            for (int i = 0; i < TASKS; i++) {
                RecyclerLink.start(c);
            }
            c.await();
        });
    }

    @Benchmark
    public void executor() throws Throwable {
        churnThroughExecutor(countdown);
    }

    @Benchmark
    public void executorThreadLocal() throws Throwable {
        churnThroughExecutor(settingALocal);
    }

    private void churnThroughExecutor(Countdown c) throws Throwable {
        ExecutorService e = executor;
        runSpawner(() -> {
            c.reset(Thread.currentThread());
            for (int i = 0; i < TASKS; i++) {
                e.execute(c);
            }
            c.await();
        });
    }

    /** Runs the spawner on a virtual thread and rethrows whatever it threw (an iteration must fail, not hang or lie). */
    static void runSpawner(Runnable spawner) throws Throwable {
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                spawner.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.join();
        if (failure[0] != null) {
            throw failure[0];
        }
    }
}
