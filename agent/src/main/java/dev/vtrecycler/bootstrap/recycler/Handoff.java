package dev.vtrecycler.bootstrap.recycler;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * The way out (Go: {@code gfget} and the hand-off): take an idle worker from the submitter's
 * carrier list or the global list, claim it with one CAS, wake it; or start a new pooled thread.
 *
 * <p>Hot path: pin, pop the carrier's list, unpin, stage the task in the worker's reused fields,
 * claim it with one CAS (which publishes them), unpark it. No lock unless the list is empty (refill)
 * or full (spill), no allocation except the handle when one is asked for, and the scheduler's own
 * wake-up task. A platform-thread submitter has no carrier list: it pops the global list under its
 * lock, and the worker it hands a task to goes back to the global list ({@link Worker#returnsToGlobal}),
 * where that submitter looks, instead of to a carrier list it could reach only by spills.
 */
final class Handoff {
    private static final ThreadFactory WORKER_THREADS =
            Thread.ofVirtual().inheritInheritableThreadLocals(false).factory();

    private final RecyclerSettings settings;
    private final RecyclerStats stats;
    private final FreeLists lists;
    /** Null in degraded modes: everything uses the global list. */
    private final CarrierLists carrierLists;
    private final StackGate gate;
    private final PendingWakes pendingWakes;
    private final ReturnPath home;

    Handoff(RecyclerSettings settings, RecyclerStats stats, FreeLists lists, CarrierLists carrierLists,
            StackGate gate, PendingWakes pendingWakes, ReturnPath home) {
        this.settings = settings;
        this.stats = stats;
        this.lists = lists;
        this.carrierLists = carrierLists;
        this.gate = gate;
        this.pendingWakes = pendingWakes;
        this.home = home;
    }

    /**
     * Runs {@code task} at once on a pooled thread; through {@code owner.runOwned(task, context)}
     * when {@code owner} is not null. Returns its handle when {@code wantHandle}, else null.
     *
     * <p>The invariant every failure path keeps (an OutOfMemoryError or StackOverflowError at any
     * step, see {@link Faults}): the task runs exactly once and this returns normally, or it never
     * runs and this throws; every worker this touched is back in a list, handed, or retired; no pin
     * and no lock is left held.
     */
    RecycledTask submit(Runnable task, TaskOwner owner, Object context, String name,
                        Thread.UncaughtExceptionHandler handler, boolean inherit, boolean wantHandle) {
        Objects.requireNonNull(task, "task");
        StackProbe.ensure(); // a stack overflow now, not half-way through the bookkeeping
        Thread caller = Thread.currentThread();
        // What a fresh thread would inherit, computed on the caller as Thread's constructor does.
        Object inherited = inherit ? JdkInternals.inheritedMapOfCurrentThread() : null;
        ClassLoader loader = FreshThread.contextLoaderFor(caller, inherit);
        // Allocated before any worker is claimed: once one is, nothing may fail but the wake-up.
        RecycledTask handle = wantHandle ? new RecycledTask() : null;
        // A platform thread has no carrier list: it takes workers from the global list, and they go back there.
        boolean carrierListSubmitter = carrierLists != null && caller.isVirtual();
        if (!home.closed) {
            boolean yielded = false;
            for (;;) {
                Worker w;
                boolean fromGlobal;
                if (carrierListSubmitter) {
                    w = carrierLists.take(caller);
                    fromGlobal = w != null && w.takenFromGlobal;
                } else {
                    w = lists.getGlobal();
                    fromGlobal = true;
                }
                if (w == null) {
                    if (!yielded && SubmitterYield.poolFillsAList(home.liveWorkers.get(), settings.localCap())
                            && SubmitterYield.shouldYield(caller, gate.limitBytes())) {
                        yielded = true;
                        stats.submitterYields.increment();
                        Thread.yield();
                        continue;
                    }
                    break;
                }
                w.stage(task, owner, context, name, handler, loader, inherited, !carrierListSubmitter);
                long seq = w.tryHand();
                if (seq > 0) {
                    wake(w, seq);
                    (fromGlobal ? stats.tasksFromGlobal : stats.tasksFromLocal).increment();
                    return handle == null ? null : handle.of(w, seq);
                }
                // it retired (idle timeout) between the pop and our claim: take the next one
            }
        }
        Worker w = startNewWorker(task, owner, context, name, handler, loader, inherited, !carrierListSubmitter);
        return handle == null ? null : handle.of(w, 1);
    }

    /**
     * Wakes a claimed (HANDED) worker. If the wake-up fails, the task is taken back before the
     * worker could start it (it retires) and the failure goes to the submitter; if the worker
     * started it anyway (it woke by itself), the task runs and the submit succeeds.
     */
    private void wake(Worker w, long seq) {
        try {
            if (Faults.ARMED) {
                Faults.at(Faults.Step.CLAIMED);
            }
            w.wake();
        } catch (Throwable t) {
            if (w.takeBack(seq)) {
                stats.rejectedError.increment();
                pendingWakes.wakeOrDefer(w); // let the retired thread end
                throw t;
            }
        }
    }

    private Worker startNewWorker(Runnable task, TaskOwner owner, Object context, String name,
                                  Thread.UncaughtExceptionHandler handler, ClassLoader loader, Object inherited,
                                  boolean returnsToGlobal) {
        Worker w = new Worker(stats);
        w.stage(task, owner, context, name, handler, loader, inherited, returnsToGlobal);
        w.handFirst(); // published to the new thread by its start()
        Thread t = WORKER_THREADS.newThread(() -> WorkerLoop.run(w, home));
        w.thread = t;
        boolean started = false;
        home.liveWorkers.incrementAndGet();
        try {
            PooledThreads.register(t, w);
            if (Faults.ARMED) {
                Faults.at(Faults.Step.NEW_WORKER_START);
            }
            t.start(); // throws only if the thread never runs (VirtualThread.start undoes itself)
            started = true;
        } finally {
            if (!started) {
                home.liveWorkers.decrementAndGet();
                PooledThreads.unregister(w);
            }
        }
        stats.tasksFromNew.increment();
        return w;
    }
}
