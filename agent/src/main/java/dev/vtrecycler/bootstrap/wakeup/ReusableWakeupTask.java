package dev.vtrecycler.bootstrap.wakeup;

import java.util.concurrent.ForkJoinTask;

/**
 * The one scheduler task a virtual thread keeps for its whole life, stored in
 * {@code VirtualThread.runContinuation} in place of the JDK's {@code this::runContinuation}, which
 * it wraps. The JDK allocates a new {@code ForkJoinTask} adapter at every wake-up (Go queues the
 * {@code g} itself); this task is queued as it is, again and again.
 *
 * <p>Why reusing one instance is safe (each point has a test: {@code ReusableWakeupTaskTest} on a real
 * {@code ForkJoinPool}, {@code WakeupForkedIT} with the agent in a forked JVM):
 * <ol>
 *   <li>{@link #exec()} never reports completion (returns {@code false}, never throws), so the
 *       task's status stays "normal" and {@code ForkJoinTask.doExec} runs it again at the next
 *       wake-up. Nobody joins, cancels or waits on it: the JDK never did on its adapters either.</li>
 *   <li>The same instance may be queued again while its previous {@code exec()} is still unwinding
 *       on the old carrier (after {@code Thread.yield}, or a park that was unparked before the
 *       carrier returned), and another carrier may run it at once. That race is benign:
 *       {@code doExec} writes nothing when {@code exec()} returns {@code false}, the task has no
 *       state of its own to race on, and {@code runContinuation} starts with a CAS on the thread's
 *       state that decides who mounts it (the loser returns at once, as with a duplicate adapter).</li>
 *   <li>An exception out of {@code exec()} would mark the task completed and the thread would never
 *       run again, so one failed wake-up must not stop later ones: it is caught, handed to the
 *       carrier's uncaught-exception handler (what the JDK's {@code RunnableExecuteAction} does for
 *       {@code ForkJoinPool.execute}) and counted ({@code vtrecycler_wakeup_failures_total}).</li>
 *   <li>JDK 25 also synchronizes on {@code runContinuation} ({@code timedWaitLock()}): it is still
 *       one object per thread, fixed at construction. {@code ForkJoinTask} itself never
 *       synchronizes on a task.</li>
 *   <li>A custom scheduler that is not a {@code ForkJoinPool} gets {@link #run()}: a plain call of
 *       the JDK's runnable, exceptions included, exactly as before.</li>
 * </ol>
 *
 * <p>{@code exec()} runs on every wake-up of every virtual thread: it allocates nothing, takes no
 * lock, never parks or logs, and loads no class ({@link Wakeups#preload()} ran it at install).
 */
public final class ReusableWakeupTask extends ForkJoinTask<Void> implements Runnable {
    private static final long serialVersionUID = 1L;

    /** The JDK's own {@code this::runContinuation}: nothing here calls a private JDK method. */
    private final transient Runnable continuation;
    /** The thread's timeout for timed parks, made at its first one; touched by the owner thread only. */
    private transient ReusableTimeout timeout;

    ReusableWakeupTask(Runnable continuation) {
        this.continuation = continuation;
    }

    /** The thread's one {@link ReusableTimeout} (issue 19): per-thread state that needs no new field in {@code VirtualThread}. */
    ReusableTimeout timeout(Thread virtualThread) {
        ReusableTimeout t = timeout;
        if (t == null) {
            timeout = t = new ReusableTimeout(virtualThread);
        }
        return t;
    }

    /** The thread's timeout if a timed park made it, else null (at the thread's end, on its carrier). */
    ReusableTimeout timeoutIfMade() {
        return timeout;
    }

    /** A wake-up from a {@code ForkJoinPool} scheduler (the default one). */
    @Override
    protected boolean exec() {
        Wakeups.WAKEUPS.increment();
        try {
            continuation.run();
        } catch (Throwable failure) {
            Wakeups.failed(failure);
        }
        return false; // never complete: the next wake-up queues this same task again
    }

    /** A wake-up from a scheduler that is not a {@code ForkJoinPool}: the JDK's plain call. */
    @Override
    public void run() {
        Wakeups.WAKEUPS.increment();
        continuation.run();
    }

    @Override
    public Void getRawResult() {
        return null;
    }

    @Override
    protected void setRawResult(Void value) {
        // no result
    }
}
