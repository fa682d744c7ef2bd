package dev.vtrecycler.bootstrap.recycler;

import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Deviation from Go, on purpose: once the pool holds a full local list's worth of threads
 * (local-cap - 1, see {@link #poolFillsAList}), a virtual submitter that finds no idle thread while
 * its carrier has other work queued yields once before creating yet another pooled thread.
 *
 * <p>Why: the JDK scheduler is FIFO per carrier and a submitting virtual thread is never
 * preempted, so a submitter that starts tasks in a loop queues every one of them before any
 * finishes; gfget then finds the lists empty each time and the pool grows to the peak number of
 * tasks in flight (10,000 on the churn benchmark). A pooled thread that is resumed once per
 * round of such a pool is cold (its stack chunk, Thread and Continuation are out of cache), and
 * churn ran 20-50x slower than plain threads. Yielding lets the carrier run the tasks already
 * queued (they were started "at once", as required); they return their threads to this
 * carrier's list (hot, LIFO) and the submitter continues with those. The pool then stays near
 * one local list per carrier. Below local-cap the pool grows as in Go, so a submitter hands
 * out up to a list's worth of tasks per yield (measured on 2 cores, churn: yielding from the
 * first thread on made every task cost a submitter yield on one carrier, 3.5x plain; waiting
 * for local-cap x carriers threads let tasks migrate between carriers more, 3-4x; local-cap
 * 2-2.5x; never yielding 20-50x). Cost for the submitter: one yield per empty
 * episode (not per task), delayed by what its carrier had queued.
 * Platform submitters never yield; a carrier with nothing queued never makes anyone yield.
 *
 * <p>Nor does a submitter whose own continuation already retains more stack than the stack gate
 * allows a pooled thread (or whose stack cannot be measured). A yield freezes the submitter's
 * frames into heap stack chunks and thaws them lazily, so the carrier's stack starts again from
 * almost empty: a recursion that started a thread at every level then never reached its
 * StackOverflowError and grew the heap instead (634 MB in 8 s). With this rule it yields until
 * its chunks hold a gate's worth of frames, then overflows as it would without the agent.
 */
final class SubmitterYield {
    private SubmitterYield() {}

    /**
     * Whether the pool already holds as many threads as one carrier's list keeps without spilling:
     * local-cap - 1 (a put that brings a list to local-cap moves half of it to the global list).
     * Not local-cap itself: then every round of a flooding submitter filled its carrier's list to
     * the spill point, so half the pool went to the global list and came back by refill, two moves
     * per task under the global lock, and the GC drain retired the global half, so the pool kept
     * restarting cold. Measured on the churn benchmark at one carrier, quiet machine: local-cap gave
     * 3.3 to 7.4 ms/op from run to run (half the tasks' threads spilled), local-cap - 1 gave
     * 3.3-3.5 ms/op in every run, with no spill.
     */
    static boolean poolFillsAList(int liveWorkers, int localCap) {
        return liveWorkers >= localCap - 1;
    }

    static boolean shouldYield(Thread caller, long stackLimitBytes) {
        if (!caller.isVirtual() || stackLimitBytes <= 0) {
            return false;
        }
        Thread carrier = JdkInternals.carrierOf(caller);
        return carrier instanceof ForkJoinWorkerThread fj && fj.getQueuedTaskCount() > 0
                && JdkInternals.retainedStackWords(caller) * JdkInternals.WORD_BYTES <= stackLimitBytes;
    }
}
