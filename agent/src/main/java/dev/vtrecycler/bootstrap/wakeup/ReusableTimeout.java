package dev.vtrecycler.bootstrap.wakeup;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The timer a virtual thread keeps for its timed parks (sleeps, {@code parkNanos}, lock and socket
 * timeouts) on JDK 25, the way Go keeps one per goroutine ({@code gp.timer}) and moves it instead of
 * deleting it ({@code modtimer}, {@code timerModified}). The JDK allocates, per timed park, a
 * {@code DelayScheduler$ScheduledForkJoinTask} (72 B) and the lambda {@code this::parkTimeoutExpired}
 * (16 B), and cancels the task when the thread continues. This object stands for the lambda and for
 * the task the JDK keeps in {@code VirtualThread.timeoutTask}; its two {@link TimeoutSlot}s are the
 * tasks, re-armed when they are out of the scheduler, and <em>nothing is ever cancelled</em>: an early
 * wake-up only marks the park over, and a task that fires for a park that is over either serves the
 * thread's current park or does nothing.
 *
 * <p>So a thread woken early (an {@code unpark}, data on a socket, a lock handed over) whose next
 * timed park is due no earlier than a task still pended asks nothing of the delay scheduler at all:
 * that task, when it fires, arms the thread's other slot for the newer deadline. The price is that
 * stale task's firing at its old deadline, at most one per deadline, on the scheduler's thread.
 *
 * <p>Why this is right, under the Java memory model alone (points 2 to 7 each have a test in
 * {@code ReusableTimeoutTest}; {@code TimedParkForkedIT} runs the whole agent under
 * {@code -Xverify:all} against the JDK alone):
 * <ol>
 *   <li>The owner: {@link #arm} runs in {@code afterYield} after the thread yielded for timed park
 *       number {@code k}, and {@link #cancel} (the JDK's {@code cancelTimeoutTask}) as it continues;
 *       they run on carriers ordered by the thread's volatile state, so {@link #parks},
 *       {@link #overflow} and {@link #pool} need no synchronization of their own.</li>
 *   <li>The park word ({@link #word}, {@code k << 2 | phase}) is written by the owner only as
 *       {@code WAITING(k)} (arm, a new {@code k}) and {@code IDLE(k)} (the park is over), and changed
 *       by actions only by CAS: {@code WAITING(k) -> ARMED(k)} and {@code WAITING/ARMED(k) -> FIRED(k)}.
 *       {@code k} only grows, so no value comes back: a CAS from a value read while park {@code k}
 *       was in progress succeeds only while it still is.</li>
 *   <li>An action unparks the thread only after its CAS to {@code FIRED(k)} won, having read park
 *       {@code k}'s {@link #deadline} and found it reached on the scheduler's clock. The deadline is
 *       read between two reads of the word (all volatile): the owner writes a newer deadline only after
 *       {@code IDLE(k)}, so a deadline of a later park makes the second read differ, and the action
 *       reads again. So a timeout never ends a park before that park's deadline, and ends each park at
 *       most once. (Between the CAS and the {@code unpark} the thread may be woken by someone else and
 *       park again; the late {@code unpark} then sets its permit: the JDK's own window, where its
 *       {@code cancel} of a running action stops nothing either; {@code parkNanos} may return
 *       spuriously.)</li>
 *   <li>Coverage: while the word is {@code WAITING(k)} or {@code ARMED(k)}, some pended task whose
 *       action has not started fires no later than park {@code k}'s deadline {@code D}. {@code ARMED(k)}
 *       means a task was pended for {@code D} itself, by whoever won the CAS to it (owner or action,
 *       one). {@code WAITING(k)} is left only when a slot <em>covers</em> {@code D}: its
 *       {@code coverWhen} (written before its pend, set back to "not pended" as its action starts) is
 *       at most {@code D}. The owner writes the word, then reads {@code coverWhen}; the action writes
 *       {@code coverWhen}, then reads the word; all volatile, so one sees the other: either the owner
 *       sees the action started and arms a task itself, or the action sees {@code WAITING(k)} and, its
 *       own {@code when} being at most {@code D}, either fires (the deadline is reached) or wins the
 *       CAS to {@code ARMED(k)} and arms the thread's other slot for {@code D}, unless the other slot
 *       covers {@code D} itself (then the same holds for it, as for the owner). So every timed park
 *       ends by its deadline, as the JDK's do.</li>
 *   <li>Re-arming: a slot's task is claimed by a CAS of its {@code status} from "completed normally" to
 *       a new task's. Only the delay scheduler's thread completes a task so: its firing loop writes
 *       {@code heapIndex = -1} and takes it out of the heap, runs it, and the last write of that run is
 *       {@code setDone}'s atomic OR. The CAS reads that write, so everything the scheduler wrote
 *       happens-before the re-arm, and after {@code setDone} the scheduler does not touch the task
 *       again. A completed task has no request left in the pending stack: nothing here cancels a
 *       slot's task while its thread lives. The CAS makes one claimer (the owner's carrier or the
 *       scheduler's thread) the task's only writer until it pends it with the pool's own
 *       {@code scheduleDelayedTask}, whose CAS on the pending stack publishes the new fields.</li>
 *   <li>Both slots in flight, or fired and not completed yet: the owner allocates a task as the JDK
 *       does ({@link #overflow}) and cancels it, as the JDK would, when the park is over. An action
 *       allocates one too (rare: a third deadline earlier than both pended ones). A pool that rejects
 *       the pend (shut down) throws out of {@code afterYield} as the JDK's {@code schedule} does; in an
 *       action it ends the park at once (a spurious return) rather than lose it.</li>
 *   <li>A stale task keeps its slot, and so its thread, reachable from the scheduler's heap until its
 *       old deadline: at most two per thread while it lives. At the thread's end
 *       ({@link #threadEnded}) pended slots are cancelled the JDK's way, so a dead thread is let go.</li>
 * </ol>
 */
public final class ReusableTimeout implements Runnable, Future<Object> {
    static final int IDLE = 0, WAITING = 1, ARMED = 2, FIRED = 3;
    private static final long PHASE = 3L;
    private static final VarHandle WORD;

    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(ReusableTimeout.class, "word", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread virtualThread;
    /** What the timeout does; null: the JDK's {@code parkTimeoutExpired}. Tests record which park fired. */
    private final java.util.function.LongConsumer expiry;
    private final TimeoutSlot first = new TimeoutSlot(this);
    private final TimeoutSlot second = new TimeoutSlot(this);
    /** Point 2: the park in progress and its phase. */
    private volatile long word;
    /** Point 3: the deadline of the park in the word, on the delay scheduler's clock. */
    private volatile long deadline;
    /** Timed parks armed so far; owner only (1). */
    private long parks;
    /** The thread's pool, written by the owner before the word (read by actions after it). */
    private ForkJoinPool pool;
    /** A task the owner allocated for the park in progress (6); owner only. */
    private ForkJoinTask<?> overflow;

    ReusableTimeout(Thread virtualThread) {
        this(virtualThread, null);
    }

    ReusableTimeout(Thread virtualThread, java.util.function.LongConsumer expiry) {
        this.virtualThread = virtualThread;
        this.expiry = expiry;
    }

    /**
     * In place of {@code pool.schedule(this::parkTimeoutExpired, nanos, NANOSECONDS)}: returns this
     * object, which the JDK keeps as the park's {@code timeoutTask} and cancels as the thread continues.
     */
    Future<?> arm(ForkJoinPool pool, long nanos) throws Throwable {
        long when = JdkTimers.now() + Math.max(nanos, 0L);
        if (when == TimeoutSlot.NOT_PENDED) {
            when++; // one nanosecond later rather than a deadline that reads "not pended"
        }
        long k = ++parks;
        this.pool = pool;
        deadline = when;
        long waiting = k << 2 | WAITING;
        word = waiting;
        if (covered(when)) { // (4): a pended task will serve this park
            Timeouts.REUSED.increment();
        } else if (WORD.compareAndSet(this, waiting, k << 2 | ARMED)) {
            if (armFor(pool, when, true)) {
                Timeouts.ALLOCATED.increment();
            } else {
                Timeouts.REUSED.increment();
            }
        } else {
            Timeouts.REUSED.increment(); // an action that had just started armed it, or fired it (4)
        }
        return this;
    }

    /** Whether one of the thread's slots is pended for no later than {@code when} (4). */
    private boolean covered(long when) {
        return first.covers(when) || second.covers(when);
    }

    /** Pends a task for {@code when}: a slot if one can be claimed (5), else a new task (6). True when allocated. */
    private boolean armFor(ForkJoinPool p, long when, boolean byOwner) throws Throwable {
        int armed = first.tryArm(p, when);
        if (armed == TimeoutSlot.NOT_CLAIMED) {
            armed = second.tryArm(p, when);
        }
        if (armed != TimeoutSlot.NOT_CLAIMED) {
            return armed == TimeoutSlot.MADE;
        }
        TimeoutSlot extra = new TimeoutSlot(this);
        ForkJoinTask<?> t = JdkTimers.newTimeoutTask(extra, p);
        extra.pend(t, p, when);
        if (byOwner) {
            overflow = t;
        }
        return true;
    }

    /**
     * A slot's task fired (on the delay scheduler's thread, after the slot marked its start): serve
     * the park in progress if its deadline is reached (3), or arm a task for it if it was left to this
     * one (4), or do nothing.
     */
    void fired() {
        for (;;) {
            long s = word;
            long phase = s & PHASE;
            if (phase == IDLE || phase == FIRED) {
                return; // the park this task was pended for is over, and no park waits on it
            }
            long d = deadline;
            if (word != s) {
                continue; // (3): the deadline may be a later park's
            }
            long fired = (s & ~PHASE) | FIRED;
            if (d - JdkTimers.now() <= 0) {
                if (WORD.compareAndSet(this, s, fired)) {
                    expire(s >>> 2);
                    return;
                }
            } else if (phase == ARMED || covered(d)) {
                return; // a task pended for d itself, or one still pended for no later, will serve it (4)
            } else if (WORD.compareAndSet(this, s, (s & ~PHASE) | ARMED)) {
                try {
                    if (armFor(pool, d, false)) {
                        Timeouts.ALLOCATED.increment(); // this park was counted as reused when it was left to us
                        Timeouts.REUSED.add(-1L);
                    }
                } catch (Throwable rejected) {
                    if (WORD.compareAndSet(this, (s & ~PHASE) | ARMED, fired)) {
                        expire(s >>> 2); // (6): the pool shut down; an early return rather than none
                    }
                }
                return;
            }
        }
    }

    /** The timeout of park {@code k} itself: {@code VirtualThread.parkTimeoutExpired()}, i.e. {@code unpark}. */
    private void expire(long k) {
        if (expiry != null) {
            expiry.accept(k);
            return;
        }
        try {
            JdkTimers.PARK_TIMEOUT_EXPIRED.invokeExact(virtualThread);
        } catch (Throwable t) {
            throw JdkTimers.rethrow(t);
        }
    }

    /**
     * The JDK's lambda, where the JDK's own timer runs it: a custom scheduler that is not a
     * {@code ForkJoinPool}. Exceptions propagate as they did out of the lambda.
     */
    @Override
    public void run() {
        expire(0L);
    }

    /**
     * In place of the JDK's {@code timeoutTask.cancel(false)} as the thread continues: the park is
     * over (2). Nothing is cancelled in the scheduler, except a task the owner allocated (6).
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        word = parks << 2 | IDLE;
        ForkJoinTask<?> o = overflow;
        if (o != null) {
            overflow = null;
            o.cancel(false);
        }
        return true;
    }

    /** At the thread's end (7): its pended slots are cancelled, so the scheduler lets the thread go. */
    void threadEnded() {
        first.cancelIfPended();
        second.cancelIfPended();
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public boolean isDone() {
        long phase = word & PHASE;
        return phase == IDLE || phase == FIRED;
    }

    /** Never awaited by the JDK: it only cancels its {@code timeoutTask}. */
    @Override
    public Object get() {
        throw new UnsupportedOperationException("a virtual thread's park timeout is not awaited");
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException("a virtual thread's park timeout is not awaited");
    }

    /** The task the owner allocated for the park in progress, or null (tests). */
    ForkJoinTask<?> overflowTask() {
        return overflow;
    }

    /** The phase of the park word (tests). */
    int phase() {
        return (int) (word & PHASE);
    }

    TimeoutSlot firstSlot() {
        return first;
    }

    TimeoutSlot secondSlot() {
        return second;
    }
}
