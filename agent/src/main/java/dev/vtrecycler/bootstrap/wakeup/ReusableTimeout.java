package dev.vtrecycler.bootstrap.wakeup;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;

/**
 * The one timeout a virtual thread keeps for its timed parks (sleeps, {@code parkNanos}, lock and
 * socket timeouts) on JDK 25, the way Go keeps one timer per goroutine ({@code gp.timer}). The JDK
 * allocates, per timed park, a {@code DelayScheduler$ScheduledForkJoinTask} (72 B) and the lambda
 * {@code this::parkTimeoutExpired} (16 B). This object is the lambda (one per thread, reached from the
 * thread's {@link ReusableWakeupTask}), and it re-arms its last task when that task is provably out of
 * the delay scheduler; otherwise it allocates a new task, as the JDK does.
 *
 * <p>Its tasks are <em>immediate</em> ones: the delay scheduler's own thread runs the timeout
 * ({@code VirtualThread.parkTimeoutExpired}, i.e. {@code unpark}) instead of relaying it to a
 * worker, as JDK 21's "VirtualThread-unparker" thread did.
 *
 * <p>Why re-arming is safe, under the Java memory model alone (each point has a test in
 * {@code ReusableTimeoutTest}, on a real {@code ForkJoinPool}; {@code TimedParkForkedIT} runs the
 * whole agent under {@code -Xverify:all}):
 * <ol>
 *   <li>Only the owner thread arms its task and makes the JDK's cancel of it: {@code afterYield} arms,
 *       {@code cancelTimeoutTask} (in {@code runContinuation}) cancels. They run on different
 *       carriers, ordered by the thread's volatile {@code state} transitions and the pool's queue, so
 *       the owner-only fields below need no synchronization of their own. Nobody else pends the task:
 *       its {@code nextDelay} is 0 (never periodic).</li>
 *   <li>A task is re-armed only when a volatile read of its {@code status} shows it completed
 *       normally (done, not cancelled, no exception). Only the delay scheduler's thread completes it
 *       so: its firing loop writes {@code heapIndex = -1} and takes it out of the heap array's slot 0,
 *       then runs it ({@code doExec}: {@code runner}, the action, {@code postExec} clearing
 *       {@code pool}/{@code runnable}), and the last write of that run is {@code setDone}'s
 *       atomic OR on {@code status}. Our read synchronizes-with that write: every write the scheduler
 *       made to the task happens-before the re-arm.</li>
 *   <li>After {@code setDone} the scheduler never writes the task again and reads only its
 *       {@code aux} (no waiter: nobody joins a timeout task), which the re-arm does not write (it
 *       writes {@code status} directly, not through {@code reinitialize()}). The firing loop's
 *       {@code replace(h, 0, n)} overwrites slot 0 without reading it.</li>
 *   <li>A task that completed normally has no request left in the pending stack: its add was taken
 *       before it could fire, and the JDK's cancel pends a removal only after its
 *       {@code trySetCancelled} succeeded, which would have made it cancelled, not completed
 *       normally. Pool shutdown and heap overflow cancel tasks too: never re-armed either.</li>
 *   <li>Re-arming writes {@code status} (the value a new task has), {@code when}, {@code runnable} and
 *       {@code pool}, then pends the task through the pool's own {@code scheduleDelayedTask}, whose
 *       CAS on {@code pending} the scheduler's {@code getAndSet} reads: the new values
 *       happen-before the scheduler sees the task again.</li>
 *   <li>The JDK cancels the timeout when the thread continues, also when it continues because the
 *       timeout fired. A cancel landing while the action still runs would mark the task cancelled
 *       and lose it for (2). {@link #skipsCancel} drops the JDK's cancel when the action of the task
 *       armed last has started ({@link #actionsStarted}, a volatile counter the scheduler's thread
 *       moves in {@link #run()}): the JDK's cancel of a started immediate task only sets its status
 *       (nothing to interrupt, no removal to pend), and the JDK drops the reference right after.
 *       The counter is trusted only when no older task can still run this action: after a re-arm
 *       from a completed task, every older task's action (if a cancel raced its start) ran before it
 *       in the one scheduler thread, and a thread's first task has no older one.</li>
 *   <li>A task cancelled by an early wake-up is re-armed only by points 8 to 12. The scheduler
 *       removes a cancelled task with plain writes ({@code heapIndex}, {@code nextPending}); its
 *       volatile writes after that come only with other work (the next batch's {@code getAndSet}, the
 *       next fired task's {@code status}), and its CAS of {@code active} at the top of its loop can
 *       come before it takes the batch holding the removal. So the edge is made by the agent, with
 *       the pool's {@link RemovalMarker}. (An earlier version read the scheduler thread's parked
 *       state: that rests on how HotSpot parks, not on the memory model.)</li>
 *   <li>The owner's cancel of its task armed last, when not dropped by 6 ({@link #cancelOwn}), takes
 *       the JDK's steps of {@code ScheduledForkJoinTask.cancel(false)} itself, with the same reads and
 *       writes in the same order: {@code trySetCancelled}; if that won and {@code runner} is null (the
 *       action is not running), clear {@code pool}, {@code runnable}, {@code callable}, and pend a
 *       removal request when {@code heapIndex >= 0} and {@code nextPending == null}. No new race with
 *       the scheduler, but the owner now knows two things. The task is <em>quiet</em> when the CAS won
 *       and {@code runner} was null: its action never runs after the cancel ({@code exec()} writes the
 *       volatile {@code runner}, then reads the volatile {@code status}; the cancel CASes
 *       {@code status}, then reads {@code runner}: one of them sees the other, so either the action
 *       sees the cancel and does not run, or the cancel sees it running, or it had already returned).
 *       And whether a removal was pended: if so its need is taken as in 11 ({@code need > 0}); if not
 *       (the add not processed yet, or the racy reads said so) the need is taken after the cancel and
 *       marks the add to be proven first ({@code need < 0}, see 9). A task not quiet, or of a pool
 *       without a marker, has no need ({@code 0}): it is re-armed only by 2.</li>
 *   <li>A pended removal is processed by the scheduler in a batch after the one that added the task
 *       (the owner read a {@code heapIndex >= 0}, which the scheduler wrote after its
 *       {@code getAndSet} took the add; a read cannot see a write that happens after it, so the
 *       removal's CAS on {@code pending} follows that {@code getAndSet}). Processing it takes the task
 *       out of the heap ({@code heapIndex = -1}, then {@code replace} when {@code h[i] == t}), or finds
 *       it already dropped by {@code replace} as cancelled ({@code heapIndex < 0}: then it is taken as
 *       the add of a cancelled task, which is ignored); either way it is the task's last time in the
 *       pending stack, and afterwards the scheduler holds no reference to it and never reads or writes
 *       it again. With no removal pended ({@code need < 0}), once the marker proves (11) the add
 *       processed (its pend came before the cancel), the task is in no batch any more. Its heap index
 *       then tells whether the add put it in the heap: before every pend of an add the owner writes
 *       {@link #NEVER_ADDED}, a value the scheduler never writes (heap slots and -1), and the add
 *       writes a heap slot exactly when it finds the task not cancelled. That write would
 *       happen-before the owner's read (by 11) and after the owner's own write, so the read cannot
 *       return {@code NEVER_ADDED} if it was made: seeing it proves the add ignored the task, which is
 *       then out of the scheduler after one round. Otherwise the task may still be in the heap; its
 *       owner then pends it itself ({@link #advance}), the same request as the JDK's cleanup,
 *       processed as above, and takes a new need: a second round of the marker.</li>
 *   <li>The marker ({@link RemovalMarker}, one for the default scheduler): a small ring of
 *       <em>rounds</em>, immediate tasks with delay 0 whose action raises the volatile {@code fired} to
 *       its arming's {@code ticket} (a CAS, so {@code fired} only grows and each value it holds was
 *       written by the action of the arming with that ticket). A round is armed by whoever claims it by
 *       a CAS of its {@code status} from completed-normally to new (one claimer per round; the CAS reads
 *       the scheduler's {@code setDone}, so 2 to 5 hold for it), who then takes
 *       {@code ticket = ++tickets} (one counter for the ring) and pends it. Several rounds are in flight
 *       at once, so a need does not wait for the round before it to come back. A need is
 *       <em>covered</em> once {@code tickets >= need} (an arming with a ticket that high exists), and
 *       only an uncovered need claims a round; a claim that finds every round in flight arms nothing.
 *       Every timed park of the owner retries each need not reached yet, so every need is eventually
 *       covered while the pool runs. The round is pended <em>quietly</em>: the JDK's CAS on
 *       {@code pending}, so 11 holds as for any pend, but no unpark of the scheduler's thread. It is
 *       taken by the scheduler's next turn, which comes at the latest with the owner's next timed
 *       park: that park's add is pended with the JDK's signal and pushes on top of the round, so the
 *       batch that takes the add takes the round too, unless an earlier turn did. The owner looks at
 *       its need only at a timed park, and each of its timed parks' add is taken (by the turn its
 *       signal starts, or one under way) with every round pended before it still in the stack (a round
 *       claimed at a park is pended before that park's add), so every covered need is reached while
 *       the owner keeps parking; one that stops parking needs none.</li>
 *   <li>The owner pends its request (or, with no removal pended, cancels), <em>then</em> reads
 *       {@code need = tickets + 1}, then has it covered (10). An arming whose ticket is at least
 *       {@code need} took it after that read (the increment that wrote {@code need} follows the read
 *       in the synchronization order), so its pend follows the request's pend (and the task's add,
 *       which came before the cancel) on {@code pending}: the synchronization order is total and
 *       consistent with each thread's program order. The scheduler takes the pending stack whole and
 *       processes a whole batch before it fires anything: the request is processed before that
 *       marker's action runs. At the next timed park, a volatile read {@code fired >= need} (a value
 *       written by the action of a round whose ticket is at least {@code need}, 10) therefore
 *       happens-after that processing, and after it the scheduler never touches the task (9): it is
 *       re-armed as in 5 (its {@code heapIndex}, the scheduler's own -1, is checked too).</li>
 *   <li>The counters of 6 after these re-arms: a quiet task's action never runs after its cancel (8),
 *       so keeping or dropping one leaves no action behind. A task that is not quiet and is replaced
 *       unproven may still run the action, in the firing phase that is in progress (its action
 *       started, or was starting when its cancel came); that phase ends before the scheduler takes the
 *       next batch. So re-arming the task armed last, proven by 2 (it fired after its add's batch) or
 *       11 (the marker fired after the batch of a pend that followed its arming), proves every older
 *       action over: trusted again. Replacing it with a new, a kept or a spare task keeps the trust only
 *       when it was quiet or spent (14).</li>
 *   <li>The scheduler's thread may not have run between an early wake-up and the thread's next timed
 *       park, and a task whose add was not processed needs one or two rounds of the marker (9), so
 *       quiet tasks with a need are kept ({@link KeptTimeouts}, oldest first, up to 1,024) while the
 *       park allocates, and a later park re-arms the oldest kept task once it is proven out (looking
 *       at the oldest only is a matter of speed: needs grow along the list). Proofs only ever become
 *       true (a completed task is written by nobody but its re-arm; {@code fired} only grows), kept
 *       tasks are armed by their owner alone, and a kept task is quiet, so each point above holds for
 *       each of them; one that can no longer be proven (its pool has no delay scheduler) is dropped.
 *       When the task armed last timed out (the thread is not outpacing the scheduler now), the next
 *       park drops the oldest kept task once proven, so a burst's tasks drain; dropping a task is
 *       always safe, it is what the JDK does with every one.</li>
 *   <li>A timeout that fired is not completed yet when its thread parks again if the scheduler's
 *       thread lost its CPU between the action's {@code unpark} (which wakes a carrier) and
 *       {@code setDone}: on 2 busy cores that is most of the misses (docs/scheduling.md). Such a task is
 *       <em>spent</em> when the counters are trusted and have moved since it was armed: only its own
 *       action can move them then (6), it started, and a task runs its action once per pend (nobody
 *       pends a task whose cancel was dropped). So replacing it keeps the counters trusted (the
 *       next arming reads a count that already holds its start), and it is kept as the thread's one
 *       <em>spare</em>; a later park re-arms the spare only once a volatile read shows it completed
 *       normally, i.e. by 2 to 5 (a spare that completed otherwise, its action having thrown, is
 *       dropped). Without this the park allocated and distrusted the counters, and while untrusted the
 *       owner's cancel of the next fired task, racing the same {@code setDone}, marked it cancelled:
 *       lost too. When the task it replaces is spent, the previous spare has completed: the scheduler
 *       ran that one before it took the newer task's add, pended after that start was seen.</li>
 * </ol>
 */
public final class ReusableTimeout implements Runnable {
    private final Thread virtualThread;
    /** The last task armed; owner thread only (see 1). */
    private ForkJoinTask<?> task;
    /** Starts of {@link #run()}; written by the delay scheduler's thread only (see 6). */
    private volatile long actionsStarted;
    /** {@link #actionsStarted} when {@link #task} was armed; owner thread only. */
    private long armedAt;
    /** Whether no older task can still run this action (see 6); owner thread only. */
    private boolean countersTrusted = true;
    /**
     * The heap index the owner writes before every pend of an add (9): the scheduler never writes it
     * (its own values are heap slots and -1), so seeing it after the marker proved the add processed
     * means the add found the task cancelled and ignored it.
     */
    static final int NEVER_ADDED = -2;
    /**
     * A spent task (14): one whose action started, replaced before the scheduler completed it; re-armed
     * once completed normally (2). Owner thread only.
     */
    private ForkJoinTask<?> spare;
    /** Quiet tasks armed before {@link #task}, kept until proven out (13); owner thread only. */
    private final KeptTimeouts kept = new KeptTimeouts();
    /** The marker whose {@code fired} proves {@link #task}'s removal processed (8 to 11); owner thread only. */
    private RemovalMarker marker;
    /** What the marker's {@code fired} must reach; 0 when no removal of {@link #task} was pended. Owner only. */
    private long need;

    ReusableTimeout(Thread virtualThread) {
        this.virtualThread = virtualThread;
    }

    /**
     * The timeout: {@code VirtualThread.parkTimeoutExpired()}, on the delay scheduler's thread (or a
     * custom scheduler's timer thread). Exceptions propagate as they did out of the JDK's lambda.
     */
    @Override
    public void run() {
        actionsStarted = actionsStarted + 1; // one writer: the scheduler thread runs tasks one at a time
        try {
            JdkTimers.PARK_TIMEOUT_EXPIRED.invokeExact(virtualThread);
        } catch (Throwable t) {
            throw JdkTimers.rethrow(t);
        }
    }

    /** Tasks kept for a later re-arm (13); for tests. */
    int keptCount() {
        return kept.size();
    }

    /** In place of {@code pool.schedule(this::parkTimeoutExpired, nanos, NANOSECONDS)}. */
    Future<?> arm(ForkJoinPool pool, long nanos) throws Throwable {
        ForkJoinTask<?> armed = task;
        ForkJoinTask<?> proven;
        if (armed != null) {
            need = advance(armed, need);
        }
        if (armed != null && proven(armed, need)) {
            reArm(armed, pool, nanos);
            countersTrusted = true; // (6), (12): every task armed before it is done with this action
            if (need == 0L && !kept.isEmpty()) {
                // the last park timed out (no need: nobody cancelled it), so early wake-ups are not
                // outpacing the scheduler now: let one kept task go once proven (dropping a task is
                // what the JDK does with every one), so a burst's tasks drain. Not after an early
                // wake-up proven out: a thread still in its burst would only allocate them again.
                provenKept();
            }
        } else if (armed != null && ((proven = provenKept()) != null // (13)
                || (proven = finishedSpare()) != null)) { // (14)
            armed = proven;
            reArm(armed, pool, nanos);
            countersTrusted = countersTrusted && retire(task); // the task it replaces is quiet or spent, or not trusted
            task = armed;
        } else {
            TimeoutReasons.count(task, need);
            armed = (ForkJoinTask<?>) JdkTimers.NEW_TASK.invokeExact(nanos, 0L, true, (Runnable) this,
                    (java.util.concurrent.Callable<?>) null, pool);
            // an old task not proven out may still run this action, unless it is quiet (13) or spent (14)
            countersTrusted = task == null || (countersTrusted && retire(task));
            task = armed;
            Timeouts.ALLOCATED.increment();
        }
        need = 0L;
        armedAt = actionsStarted;
        JdkTimers.TASK_HEAP_INDEX.set(armed, NEVER_ADDED); // (9): the scheduler never writes this value
        ForkJoinTask<?> pended = (ForkJoinTask<?>) JdkTimers.SCHEDULE_DELAYED.invokeExact(pool, armed);
        return (Future<?>) pended;
    }

    /** Re-arms {@code t}, proven out of the scheduler (2 to 5, or 11): a new task's status and fields. */
    private void reArm(ForkJoinTask<?> t, ForkJoinPool pool, long nanos) {
        JdkTimers.TASK_STATUS.setVolatile(t, JdkTimers.FRESH_STATUS); // (3), (5)
        JdkTimers.TASK_RUNNABLE.set(t, (Runnable) this);
        JdkTimers.TASK_POOL.set(t, pool);
        JdkTimers.TASK_WHEN.set(t, JdkTimers.now() + Math.max(nanos, 0L));
        Timeouts.REUSED.increment();
    }

    /**
     * {@link #task}, not proven out, is about to be replaced (counters trusted). A quiet task (13:
     * cancelled by {@link #cancelOwn} before its action could start, {@code need != 0}) is kept for a
     * later re-arm while a slot is free, else dropped. A spent task (14: its action has started since
     * it was armed, and only its action can move the trusted counter) runs no action again; it becomes
     * the {@link #spare} while its completion is still to come. Returns whether the counters stay
     * trusted: false when the task is neither, as it may still start this action.
     */
    private boolean retire(ForkJoinTask<?> t) {
        if (need != 0L) {
            kept.add(t, need); // false at the cap: dropped
            return true;
        }
        if (actionsStarted == armedAt) {
            return false;
        }
        if (!t.isDone() && (spare == null || !outOfScheduler(spare))) {
            spare = t; // a spare that completed normally stays: it is the one ready to re-arm
        }
        return true;
    }

    /**
     * The {@link #spare} when it completed normally (removed), else null; one that completed otherwise
     * (its action threw) is dropped. Point 14.
     */
    private ForkJoinTask<?> finishedSpare() {
        ForkJoinTask<?> s = spare;
        if (s == null || !s.isDone()) {
            return null;
        }
        spare = null;
        return outOfScheduler(s) ? s : null;
    }

    /**
     * Point 9: a task cancelled before its add was processed ({@code n < 0}, need {@code -n}) whose add
     * the marker has since proven processed is out of the scheduler when its heap index is still
     * {@link #NEVER_ADDED} (the add found it cancelled); else it is pended once more by its owner, as
     * the JDK's cleanup request, and waits for the marker again. Returns the task's new need ({@code -n},
     * reached, when proven; 0 when its pool has no delay scheduler any more: never proven). A need not
     * reached yet is covered again: the cancel that took it may have found every round in flight.
     */
    private long advance(ForkJoinTask<?> t, long n) throws Throwable {
        if (n < 0L && marker.reached(-n)) {
            if ((int) JdkTimers.TASK_HEAP_INDEX.get(t) == NEVER_ADDED) {
                return -n; // the add was ignored: in no batch and not in the heap (9)
            }
            Object ds = JdkCancels.POOL_DELAY_SCHEDULER.getVolatile(marker.pool());
            if (ds == null) {
                return 0L;
            }
            JdkCancels.PEND.invokeExact(ds, t); // not in the pending stack: its add was processed, nothing else pended it
            long again = marker.need(); // after the pend (11)
            marker.cover(again);
            return again;
        }
        if (n != 0L && !marker.reached(Math.abs(n))) {
            marker.cover(Math.abs(n));
        }
        return n;
    }

    /**
     * The oldest kept task when it is proven out of the scheduler (removed from the list), else null.
     * Only the oldest is advanced (9): needs grow along the list, so none after it is reached when its
     * need is not; one that takes a new need for its cleanup round goes to the back, one never to be
     * proven is dropped. The newest need is covered, which covers all (10).
     */
    private ForkJoinTask<?> provenKept() throws Throwable {
        if (kept.isEmpty()) {
            return null;
        }
        ForkJoinTask<?> t = kept.oldest();
        long was = kept.oldestNeed();
        long n = advance(t, was);
        if (n == 0L) {
            kept.removeOldest(); // quiet: dropping it costs nothing but the re-arm
            return null;
        }
        if (proven(t, n)) {
            kept.removeOldest();
            return t;
        }
        if (n != was) { // its cleanup round: the highest need so far, so the back keeps the order
            kept.moveOldestToBack(n);
        }
        if (!kept.isEmpty()) {
            marker.cover(Math.abs(kept.newestNeed()));
        }
        return null;
    }

    /** Whether {@code t}, with the marker's need {@code n} (0: no removal pended), is out of the scheduler. */
    private boolean proven(ForkJoinTask<?> t, long n) {
        return outOfScheduler(t) || removalProcessed(t, n);
    }


    /**
     * In place of the JDK's {@code timeoutTask.cancel(false)} when the thread continues (owner
     * thread, see 6): true when that cancel is to be dropped because {@code t}, the task armed last,
     * has already started its timeout.
     */
    boolean skipsCancel(ForkJoinTask<?> t) {
        return t == task && countersTrusted && actionsStarted != armedAt;
    }

    /**
     * In place of the JDK's {@code cancel(false)} of {@code t}, the task armed last, when its cancel is
     * not dropped (point 8): the JDK's steps, recording whether a removal request was pended, and if so
     * the marker's need and an attempt to arm it (point 11). Returns what the JDK's cancel returns.
     */
    boolean cancelOwn(ForkJoinTask<?> t) throws Throwable {
        int s = (int) JdkCancels.TRY_SET_CANCELLED.invokeExact(t);
        if (s < 0) {
            return (s & (JdkCancels.ABNORMAL | JdkCancels.THROWN)) == JdkCancels.ABNORMAL;
        }
        ForkJoinPool p = (ForkJoinPool) JdkTimers.TASK_POOL.get(t);
        if (p != null && JdkCancels.TASK_RUNNER.get(t) == null) { // interruptIfRunning(false): not running
            JdkTimers.TASK_POOL.set(t, (ForkJoinPool) null);
            JdkTimers.TASK_RUNNABLE.set(t, (Runnable) null);
            JdkCancels.TASK_CALLABLE.set(t, (java.util.concurrent.Callable<?>) null);
            Object ds;
            if ((int) JdkTimers.TASK_HEAP_INDEX.get(t) >= 0 && JdkCancels.TASK_NEXT_PENDING.get(t) == null
                    && (ds = JdkCancels.POOL_DELAY_SCHEDULER.getVolatile(p)) != null) {
                JdkCancels.PEND.invokeExact(ds, t); // for heap cleanup, as the JDK
                RemovalMarker m = marker != null && marker.pool() == p ? marker : Timeouts.markerFor(p);
                if (m != null) {
                    marker = m;
                    need = m.need(); // after the pend (11)
                    m.cover(need);
                }
            } else {
                RemovalMarker m = marker != null && marker.pool() == p ? marker : Timeouts.markerFor(p);
                if (m != null) { // no removal pended: first the marker proves the add processed (9)
                    marker = m;
                    need = -m.need(); // after the cancel
                    m.cover(-need);
                }
            }
        }
        return true;
    }

    /**
     * Whether {@code t}, cancelled by {@link #cancelOwn} with a removal pended, is provably out of the
     * scheduler: the marker's action ran with a ticket taken after the pend (11), and the heap index is
     * the scheduler's -1 (9).
     */
    private boolean removalProcessed(ForkJoinTask<?> t, long n) {
        return n > 0L && marker.reached(n) && (int) JdkTimers.TASK_HEAP_INDEX.get(t) < 0;
    }

    /**
     * Whether {@code t} is provably out of its pool's delay scheduler: completed normally (2 to 4).
     * A cancelled task is so only by {@link #removalProcessed} (7 to 11). The heap index check is the scheduler's own -1, visible by (2).
     */
    static boolean outOfScheduler(ForkJoinTask<?> t) {
        return t.isCompletedNormally() && (int) JdkTimers.TASK_HEAP_INDEX.get(t) < 0;
    }

    /** Sets the marker to use (a private pool's, in the preload and tests). */
    void useMarker(RemovalMarker m) {
        marker = m;
    }

    /** The marker's need for the task armed last; 0 when no removal was pended (tests). */
    long need() {
        return need;
    }

    /** The task last armed, for tests. */
    ForkJoinTask<?> lastTask() {
        return task;
    }
}
