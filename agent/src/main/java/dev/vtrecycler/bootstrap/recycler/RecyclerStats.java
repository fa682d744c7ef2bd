package dev.vtrecycler.bootstrap.recycler;

import dev.vtrecycler.bootstrap.StripedCounter;

/**
 * Counters and gauges for the metrics side. Counters are {@link StripedCounter} sums (monotonic,
 * racy-but-safe reads). The pooled gauges are not maintained on the hot path: they scan the free
 * lists when read (a scrape), counting entries whose state is IDLE in that scope, so stale entries
 * never inflate them and they are exact whenever the pools are quiet.
 */
public final class RecyclerStats {
    final StripedCounter tasksFromLocal = new StripedCounter();
    final StripedCounter tasksFromGlobal = new StripedCounter();
    final StripedCounter tasksFromNew = new StripedCounter();
    final StripedCounter spills = new StripedCounter();
    final StripedCounter spilledThreads = new StripedCounter();
    final StripedCounter refills = new StripedCounter();
    final StripedCounter refilledThreads = new StripedCounter();
    final StripedCounter rejectedStack = new StripedCounter();
    final StripedCounter rejectedGc = new StripedCounter();
    final StripedCounter rejectedIdle = new StripedCounter();
    final StripedCounter rejectedError = new StripedCounter();
    final StripedCounter rejectedOpenScope = new StripedCounter();
    /**
     * Returns of a pooled thread whose continuation had a new last stack chunk since its previous
     * return (the stack gate's cache sees it): the task parked deeper than the chunk had room for,
     * or the chunk had been promoted by the GC and can no longer be frozen into. A thread's first
     * chunk is not counted.
     */
    final StripedCounter newStackChunks = new StripedCounter();
    /** Interrupts that reached a pooled thread from outside the recycler's handles (raw Thread.interrupt()). */
    final StripedCounter foreignInterrupts = new StripedCounter();
    /** Submits that yielded once because no idle thread was pooled (not exported; for tuning). */
    final StripedCounter submitterYields = new StripedCounter();

    private Recycler recycler; // set once by the recycler that owns these stats

    void attach(Recycler owner) {
        this.recycler = owner;
    }

    public long tasksFromLocal() { return tasksFromLocal.sum(); }
    public long tasksFromGlobal() { return tasksFromGlobal.sum(); }
    public long tasksFromNew() { return tasksFromNew.sum(); }
    public long spills() { return spills.sum(); }
    public long spilledThreads() { return spilledThreads.sum(); }
    public long refills() { return refills.sum(); }
    public long refilledThreads() { return refilledThreads.sum(); }
    public long rejectedStack() { return rejectedStack.sum(); }
    public long rejectedGc() { return rejectedGc.sum(); }
    public long rejectedIdle() { return rejectedIdle.sum(); }
    public long rejectedError() { return rejectedError.sum(); }
    public long rejectedOpenScope() { return rejectedOpenScope.sum(); }
    public long foreignInterrupts() { return foreignInterrupts.sum(); }
    public long newStackChunks() { return newStackChunks.sum(); }

    /** Idle pooled threads on the per-carrier lists now. */
    public long pooledLocal() { return recycler == null ? 0 : recycler.scanLocal(false); }
    /** Idle pooled threads on the global list now. */
    public long pooledGlobal() { return recycler == null ? 0 : recycler.freeLists().global.size(); }
    /** Continuation stack retained by the idle threads on the per-carrier lists, bytes. */
    public long pooledStackBytesLocal() { return recycler == null ? 0 : recycler.scanLocal(true); }
    /** Continuation stack retained by the idle threads on the global list, bytes. */
    public long pooledStackBytesGlobal() { return recycler == null ? 0 : recycler.freeLists().global.stackBytes(); }
}
