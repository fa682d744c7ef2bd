package dev.vtrecycler.bootstrap.recycler;

/**
 * Test-only failure injection: throws an {@link OutOfMemoryError} or {@link StackOverflowError} at
 * a named bookkeeping step, to prove that a failure there loses no task and no thread.
 *
 * <p>Zero cost when off: {@link #ARMED} is a static final read from the system property
 * {@code vtrecycler.test.faults} once, at class initialization; every call site is
 * {@code if (Faults.ARMED) Faults.at(step)}, which the JIT folds away when false. Never set that
 * property outside tests.
 */
final class Faults {
    static final boolean ARMED = Boolean.getBoolean("vtrecycler.test.faults");

    /** The bookkeeping steps, in the order a task meets them. */
    enum Step {
        /** gfget: a worker was popped from the carrier's list (pinned). */
        LOCAL_POP,
        /** gfget: a worker was popped from the global list during a refill (pinned, global lock held). */
        REFILL_MOVE,
        /** gfget for a platform submitter: global list, lock held. */
        GLOBAL_POP,
        /** hand-off: the worker is claimed (HANDED), not yet woken. */
        CLAIMED,
        /** hand-off: inside the wake-up, before the unpark. */
        WAKE,
        /** a new pooled thread is about to start. */
        NEW_WORKER_START,
        /** worker: making the thread look new. */
        DRESS,
        /** worker: dropping the finished task's state. */
        UNDRESS,
        /** gfput: before the worker is listed. */
        PUT,
        /** spill/purge/putGlobal: the global list grows (the one allocation under the lock). */
        GLOBAL_GROW,
        /** housekeeping: the GC drain copies the global list. */
        DRAIN,
    }

    private static volatile Step armedStep;
    private static volatile boolean stackOverflow;
    /** Fail every n-th time the armed step is reached (1 = every time). */
    private static volatile int every = 1;
    private static final java.util.concurrent.atomic.AtomicLong hits = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong thrown = new java.util.concurrent.atomic.AtomicLong();

    private Faults() {}

    static void arm(Step step, boolean throwStackOverflow, int everyNth) {
        disarm();
        stackOverflow = throwStackOverflow;
        every = Math.max(1, everyNth);
        hits.set(0);
        thrown.set(0);
        armedStep = step;
    }

    static void disarm() {
        armedStep = null;
    }

    static long thrown() {
        return thrown.get();
    }

    static void at(Step step) {
        if (armedStep == step && hits.incrementAndGet() % every == 0) {
            thrown.incrementAndGet();
            throw stackOverflow ? new StackOverflowError("injected at " + step)
                    : new OutOfMemoryError("injected at " + step);
        }
    }
}
