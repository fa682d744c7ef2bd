package dev.vtrecycler.bootstrap.recycler;

import dev.vtrecycler.bootstrap.BootLog;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The way back (Go: {@code gfput}): after its task a worker is offered to the pools (stack gate,
 * then its carrier's list or the global list) or retired, with the reason counted. Runs on the
 * worker's own thread, called by {@link WorkerLoop}; calls only the pools below it.
 */
final class ReturnPath {
    private final RecyclerStats stats;
    private final StackGate gate;
    private final FreeLists lists;
    /** Null in degraded modes (no per-carrier lists on this JDK): everything uses the global list. */
    private final CarrierLists carrierLists;
    private final Housekeeping housekeeping;
    /** Pooled threads alive (idle or running a task); creation and exit only, never per task. */
    final AtomicInteger liveWorkers = new AtomicInteger();
    /** Set once (closing a test recycler): no worker goes back to the pools, none is taken from them. */
    volatile boolean closed;
    private volatile boolean internalFailureReported;

    ReturnPath(RecyclerStats stats, StackGate gate, FreeLists lists, CarrierLists carrierLists,
               Housekeeping housekeeping) {
        this.stats = stats;
        this.gate = gate;
        this.lists = lists;
        this.carrierLists = carrierLists;
        this.housekeeping = housekeeping;
    }

    /** Returns false when the worker must end (gate, closed); it has then been retired. */
    boolean offer(Worker w) {
        if (closed) {
            w.retireSelf();
            return false;
        }
        long bytes = gate.admit(w);
        if (bytes < 0) {
            stats.rejectedStack.increment();
            w.retireSelf(); // its chunks become garbage with the thread
            return false;
        }
        w.stackBytes = bytes;
        w.idleSinceNanos = housekeeping.coarseNanos();
        if (carrierLists != null && !w.returnsToGlobal) {
            carrierLists.put(w);
        } else {
            // A platform submitter's worker (or no carrier lists on this JDK): the global list.
            lists.putGlobal(w);
        }
        return true;
    }

    /**
     * A bookkeeping step failed (a JDK whose internals changed under us): one stderr line, the
     * worker retires; tasks are never lost or affected. Returns false (the worker is unhealthy).
     */
    boolean internalFailure(Throwable t) {
        if (!internalFailureReported) {
            internalFailureReported = true;
            BootLog.warn("recycling step failed (" + t + "); affected threads retire instead of being reused");
        }
        return false;
    }

    void retireWithOpenScope(Worker w) {
        stats.rejectedOpenScope.increment();
        w.retireSelf();
    }

    void retireAfterError(Worker w) {
        stats.rejectedError.increment();
        w.retireSelf();
    }

    void workerEnded() {
        liveWorkers.decrementAndGet();
    }
}
