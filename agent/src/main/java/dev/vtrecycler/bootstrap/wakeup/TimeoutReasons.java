package dev.vtrecycler.bootstrap.wakeup;

import dev.vtrecycler.bootstrap.StripedCounter;

/**
 * Why a timed park under {@code timers=reuse} allocated a timeout task: the breakdown of
 * {@link Timeouts#ALLOCATED}, by the state of the thread's last task when it parked again. Not exported
 * as metrics (the label set of {@code vtrecycler_timed_parks_total} stays as documented): read by tests
 * to say which fallback a park took.
 */
public final class TimeoutReasons {
    /** The thread's first timed park (or its first after a task was dropped as unprovable). */
    static final StripedCounter FIRST = new StripedCounter();
    /**
     * The last task's timeout fired but the scheduler had not completed it yet (its {@code setDone} came
     * after the thread's next timed park), and no spare task was completed either.
     */
    static final StripedCounter UNFINISHED = new StripedCounter();
    /**
     * The last task was cancelled with nothing to prove it out by: the cancel found its action
     * running or about to run (not quiet), or its pool has no marker.
     */
    static final StripedCounter CANCELLED = new StripedCounter();
    /** The last task was cancelled by an early wake-up and the marker has not proven it out yet (kept). */
    static final StripedCounter UNPROVEN = new StripedCounter();
    /** Anything else: the last task completed with an exception, or its pool shut down. */
    static final StripedCounter OTHER = new StripedCounter();
    /** A custom scheduler that is not a {@code ForkJoinPool}, or a timed {@code Object.wait}: the JDK's path. */
    static final StripedCounter JDK_PATH = new StripedCounter();

    /** Counts one allocation for a thread whose last task was {@code last}, with the marker's need {@code need}. */
    static void count(java.util.concurrent.ForkJoinTask<?> last, long need) {
        if (last == null) {
            FIRST.increment();
        } else if (!last.isDone()) {
            UNFINISHED.increment();
        } else if (need != 0L) {
            UNPROVEN.increment();
        } else if (last.isCancelled()) {
            CANCELLED.increment();
        } else {
            OTHER.increment();
        }
    }

    /** Zeroes every reason (after the preloads; single-threaded then, so exact). */
    static void reset() {
        for (StripedCounter c : new StripedCounter[] {FIRST, UNFINISHED, CANCELLED, UNPROVEN, OTHER, JDK_PATH}) {
            c.add(-c.sum());
        }
    }

    private TimeoutReasons() {}
}
