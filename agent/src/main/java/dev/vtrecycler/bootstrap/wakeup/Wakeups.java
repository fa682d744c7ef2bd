package dev.vtrecycler.bootstrap.wakeup;

import dev.vtrecycler.bootstrap.StripedCounter;
import java.util.concurrent.ForkJoinTask;

/**
 * What the wake-up instrumentation woven into {@code java.lang.VirtualThread} calls (agent side:
 * {@code dev.vtrecycler.agent.instrument.WakeupInstrumentation}).
 *
 * <ul>
 *   <li>{@link #reusable(Runnable)}: constructor exit; wraps the JDK's {@code runContinuation}
 *       runnable in the thread's one {@link ReusableWakeupTask}.</li>
 *   <li>{@link #adapt(Runnable)}: replaces {@code ForkJoinTask.adapt(runContinuation)} in the
 *       submit paths; returns the task itself instead of a new adapter.</li>
 * </ul>
 * {@code ForkJoinPool.execute(runContinuation)} needs no change: it does not wrap a
 * {@code ForkJoinTask}.
 */
public final class Wakeups {
    /** Wake-ups served by a reusable task: {@code vtrecycler_wakeups_total}. */
    public static final StripedCounter WAKEUPS = new StripedCounter();
    /** Wake-ups whose continuation threw out of {@code exec()}: {@code vtrecycler_wakeup_failures_total}. */
    public static final StripedCounter FAILURES = new StripedCounter();

    /** Constructor exit: one extra object per virtual thread, none per wake-up. */
    public static Runnable reusable(Runnable jdkRunContinuation) {
        return new ReusableWakeupTask(jdkRunContinuation);
    }

    /** In place of {@code ForkJoinTask.adapt(Runnable)} inside {@code VirtualThread}. */
    public static ForkJoinTask<?> adapt(Runnable runContinuation) {
        if (runContinuation instanceof ReusableWakeupTask task) {
            return task;
        }
        // A thread created before the agent was installed keeps the JDK's runnable and adapter.
        return ForkJoinTask.adapt(runContinuation);
    }

    /**
     * A continuation threw out of {@code exec()}. Reported the way {@code ForkJoinPool.execute}'s
     * own wrapper reports it (the current thread's uncaught-exception handler, whose own failure is
     * ignored), and counted. Only on a failure, which the JDK treats as a broken carrier anyway.
     */
    static void failed(Throwable failure) {
        FAILURES.increment();
        try {
            Thread current = Thread.currentThread();
            Thread.UncaughtExceptionHandler handler = current.getUncaughtExceptionHandler();
            if (handler != null) {
                handler.uncaughtException(current, failure);
            }
        } catch (Throwable ignore) {
            // the handler failed too: nothing left to report to, and exec() must not throw
        }
    }

    /**
     * Loads and initializes everything the wake-up path touches, before the instrumentation is
     * installed: a wake-up on a carrier must never be the one to load a class.
     */
    public static void preload() throws InterruptedException {
        // On a thread of our own, whose uncaught-exception handler swallows the one planned failure.
        Thread warmer = new Thread(Wakeups::exerciseEveryPath, "vtrecycler-wakeup-preload");
        warmer.setDaemon(true);
        warmer.setUncaughtExceptionHandler((t, e) -> { });
        warmer.start();
        warmer.join();
    }

    private static void exerciseEveryPath() {
        ReusableWakeupTask task = new ReusableWakeupTask(() -> { });
        task.exec();
        task.run();
        adapt(task);
        adapt(() -> { });
        new ReusableWakeupTask(() -> {
            throw new IllegalStateException("preload");
        }).exec();
        // Those three calls were not wake-ups. Same thread, so same stripe, and nothing else can
        // count yet (the instrumentation is installed after this returns): the sums are exact.
        WAKEUPS.add(-3);
        FAILURES.add(-1);
    }

    private Wakeups() {}
}
