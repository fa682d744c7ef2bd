package dev.vtrecycler.bootstrap.recycler;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How a pooled thread looks from outside, for the advice the agent weaves into
 * {@code java.lang.Thread} ({@code join}, {@code isAlive}, {@code getState}) and
 * {@code java.lang.VirtualThread.interrupt()}: as if each task had its own thread. A caller can only
 * hold a pooled thread's {@code Thread} because some task exposed it ({@code Thread.currentThread()}
 * saved somewhere); the task it could have seen has ended once the thread is between tasks, so
 * there {@code isAlive()} is false, {@code getState()} is TERMINATED and {@code join} returns at
 * once. While a task runs, {@code join} waits for that task's end, not for the thread's.
 *
 * <p>What stays different (README, "What gets recycled"): a reference saved from an earlier task,
 * used while a later task runs on the same thread, sees the later task (alive, its state, join
 * waits for it), and a raw {@code interrupt()} through it reaches the later task. Those interrupts
 * are counted ({@code vtrecycler_foreign_interrupts_total}); between tasks they are dropped.
 *
 * <p>Every entry point is called from advice with {@code suppress = Throwable.class}; none parks
 * except {@link #join}, which is the caller's own {@code join}. Lookups are one
 * {@link ConcurrentHashMap#get} on virtual threads only; the map changes at worker creation and
 * exit, never per task.
 */
public final class PooledThreads {
    private static final ConcurrentHashMap<Thread, Worker> WORKERS = new ConcurrentHashMap<>();
    /** {@code join(Duration)} advice answers: run the JDK's body / terminated / timed out. */
    public static final int JOIN_NOT_POOLED = 0;
    public static final int JOIN_ENDED = 1;
    public static final int JOIN_TIMED_OUT = 2;

    private PooledThreads() {}

    static void register(Thread thread, Worker w) {
        WORKERS.put(thread, w);
    }

    static void unregister(Worker w) {
        Thread t = w.thread;
        if (t != null) {
            WORKERS.remove(t, w);
        }
    }

    /** Test hook: every live pooled worker. */
    static java.util.List<Worker> all() {
        return java.util.List.copyOf(WORKERS.values());
    }

    /** Every live pooled worker, as a weakly consistent view (see {@link TaskInterrupts#interruptOwnedBy}). */
    static Iterable<Worker> live() {
        return WORKERS.values();
    }

    static Worker workerOf(Thread thread) {
        return thread != null && thread.isVirtual() && !WORKERS.isEmpty() ? WORKERS.get(thread) : null;
    }

    /** Loads and links everything the advice may reach, before the advice is installed. */
    public static void preload() {
        Thread self = Thread.currentThread();
        workerOf(self);
        betweenTasks(self);
        stateBetweenTasks(self);
        interrupting(self);
        Worker.taskRunning(Worker.RUNNING);
        new TaskJoiners.Node(self).next = null;
        calledByFutureTask();
    }

    /** {@code isAlive()} advice: true if {@code thread} is a pooled thread between tasks (answer false). */
    public static boolean betweenTasks(Thread thread) {
        Worker w = workerOf(thread);
        return w != null && !Worker.taskRunning(Worker.kind(w.state()));
    }

    /** {@code getState()} advice: TERMINATED for a pooled thread between tasks, else null (the JDK answers). */
    public static Thread.State stateBetweenTasks(Thread thread) {
        return betweenTasks(thread) ? Thread.State.TERMINATED : null;
    }

    /**
     * {@code join(long)} / {@code join(long, int)} advice: waits for the running task of a pooled
     * thread. Returns true if handled (skip the JDK's body). Negative arguments, other threads, and
     * an interrupted caller are left to the JDK's body, which throws as it always does (for an
     * interrupt: the task still runs, so its join reaches {@code joinNanos} and throws
     * InterruptedException; a task that just ended makes it return, as the JDK's own join does
     * for a thread that terminated).
     */
    public static boolean join(Thread thread, long millis, int nanos) {
        if (millis < 0 || nanos < 0 || nanos > 999_999) {
            return false;
        }
        Worker w = workerOf(thread);
        if (w == null) {
            return false;
        }
        long total = TimeUnit.MILLISECONDS.toNanos(millis);
        total += Math.min(Long.MAX_VALUE - total, nanos);
        // Ended or timed out: handled (join(long) returns either way). Interrupted: the JDK's body.
        return awaitTaskEnd(w, total) || !Thread.currentThread().isInterrupted();
    }

    /**
     * Waits until the task running now (if any) has ended, as a {@code join} on that task's own
     * thread would. {@code nanos <= 0} waits forever. Returns true if no task runs any more, false
     * on timeout or interrupt (the interrupt status is left set for the caller to act on).
     *
     * <p>Why no wake-up is lost: the joiner pushes itself, then re-reads the state; the worker's
     * end-of-task CAS writes the state, then swaps the stack out. Both are volatile, so at least
     * one of them sees the other.
     */
    private static boolean awaitTaskEnd(Worker w, long nanos) {
        long s = w.state();
        if (!Worker.taskRunning(Worker.kind(s))) {
            return true;
        }
        long seq = Worker.seq(s);
        Thread me = Thread.currentThread();
        w.joiners.push(me);
        long deadline = nanos > 0 ? System.nanoTime() + nanos : 0;
        for (;;) {
            s = w.state();
            if (Worker.seq(s) != seq || !Worker.taskRunning(Worker.kind(s))) {
                return true;
            }
            if (me.isInterrupted()) {
                return false;
            }
            if (nanos > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(w, left);
            } else {
                LockSupport.park(w);
            }
        }
    }

    /** {@code join(Duration)} advice: one of the JOIN_ constants. */
    public static int join(Thread thread, Duration duration) {
        Worker w = workerOf(thread);
        if (w == null || duration == null) {
            return JOIN_NOT_POOLED;
        }
        long nanos = TimeUnit.NANOSECONDS.convert(duration);
        if (!Worker.taskRunning(Worker.kind(w.state()))) {
            return JOIN_ENDED;
        }
        if (nanos <= 0) {
            return JOIN_TIMED_OUT;
        }
        if (awaitTaskEnd(w, nanos)) {
            return JOIN_ENDED;
        }
        return Thread.currentThread().isInterrupted() ? JOIN_NOT_POOLED : JOIN_TIMED_OUT;
    }

    /**
     * {@code VirtualThread.interrupt()} advice: counts an interrupt of a pooled thread that does
     * not come from the recycler's own handles. Not counted: the thread interrupting itself, a
     * {@link TaskHandle} delivering (the worker is INTERRUPTING), and {@link FutureTask#cancel}
     * (a handle too: it interrupts its runner only while its own task runs there, and its run()
     * does not return before the interrupt landed). Between tasks the interrupt is dropped at the
     * next hand-off, as before.
     */
    public static void interrupting(Thread thread) {
        Worker w = workerOf(thread);
        if (w == null || Thread.currentThread() == thread) {
            return;
        }
        if (Worker.kind(w.state()) == Worker.INTERRUPTING || calledByFutureTask()) {
            return;
        }
        if (w.stats != null) {
            w.stats.foreignInterrupts.increment();
        }
    }

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** Frames: this method, interrupting(), VirtualThread.interrupt(), its caller. Rare: a foreign-looking interrupt. */
    private static boolean calledByFutureTask() {
        return WALKER.walk(frames -> frames.skip(3).findFirst()
                .map(f -> f.getDeclaringClass() == FutureTask.class).orElse(false));
    }
}
