package dev.vtrecycler.bootstrap.recycler;

import java.util.concurrent.locks.LockSupport;

/**
 * The body of a pooled virtual thread: wait to be handed a task, make the thread look new
 * ({@link FreshThread}), run the task (through its {@link TaskOwner} when it has one), offer the
 * thread back to the pools ({@link ReturnPath}: stack gate, gfput), repeat until retired. Only the
 * worker's own thread runs this.
 */
final class WorkerLoop {
    private WorkerLoop() {}

    static void run(Worker w, ReturnPath home) {
        try {
            loop(w, home);
        } finally {
            PooledThreads.unregister(w);
            // A stale entry for this worker may stay in a carrier's list until that list's owner
            // drops it: it must not keep the ended thread (its name, loader, handler) reachable.
            w.thread = null;
            w.lastList = null;
            w.gatedTail = null;
            home.workerEnded();
        }
    }

    /**
     * Serves tasks in bounded rounds, not in one endless loop, so that the frames a worker parks in
     * are compiled code. A frame entered once and never left (an endless loop here) runs in the
     * interpreter until HotSpot migrates it to OSR code, which it does only at the method's
     * 1,024th-or-so back-edge, shared by every worker, and undoes at every deoptimization; an
     * interpreted frame in the continuation sends every park and wake-up through the slow
     * freeze/thaw paths (perf on the churn benchmark showed interpreted frames frozen and thawed
     * under the loop; churn then took 3.3 or 7 ms/op depending on the run, together with the spill
     * thrash described in {@link SubmitterYield#poolFillsAList}). A round returns after
     * {@value #TASKS_PER_ROUND} tasks, and the next round's call enters the compiled method; the
     * interpreted frame below it is left once per round, not once per task.
     */
    private static void loop(Worker w, ReturnPath home) {
        while (serveRound(w, home)) {
            // each call a fresh frame: compiled once HotSpot compiled serveRound
        }
    }

    private static final int TASKS_PER_ROUND = 64;

    /** Serves up to {@value #TASKS_PER_ROUND} tasks. Returns false when the worker must end. */
    private static boolean serveRound(Worker w, ReturnPath home) {
        for (int i = 0; i < TASKS_PER_ROUND; i++) {
            if (!serveOne(w, home)) {
                return false;
            }
        }
        return true;
    }

    /** Waits for one hand-off, runs it and offers the thread back. Returns false when the worker must end. */
    private static boolean serveOne(Worker w, ReturnPath home) {
        Thread self = w.thread;
        long handed = awaitHandoff(w);
        if (handed < 0) {
            return false;
        }
        Runnable job = w.task;
        Object jobContext = w.context;
        TaskOwner jobOwner = w.stagedOwner(); // stays in the worker until endTask: see Worker.ownerWhileRunning
        String jobName = w.name;
        Thread.UncaughtExceptionHandler jobHandler = w.handler;
        ClassLoader jobLoader = w.contextClassLoader;
        Object jobInherited = w.inheritedMap;
        w.clearStagedFields();

        boolean healthy = true;
        try {
            if (Faults.ARMED) {
                Faults.at(Faults.Step.DRESS);
            }
            FreshThread.dressAsNew(self, jobName, jobHandler, jobLoader, jobInherited);
        } catch (Throwable t) {
            healthy = home.internalFailure(t); // the task still runs; the thread retires after
        }
        long running = Worker.withKind(handed, Worker.RUNNING);
        w.publishRunning(running);
        Throwable failure = null;
        try {
            if (jobOwner != null) {
                jobOwner.runOwned(job, jobContext);
            } else {
                job.run();
            }
        } catch (Throwable t) {
            failure = t;
        }
        job = null;
        jobOwner = null;
        jobContext = null;
        if (failure != null) {
            // Handler first, then the task ends: a fresh thread's join() returns only after its
            // uncaught-exception handler ran.
            reportUncaught(self, failure);
            w.endTask(running);
            home.retireAfterError(w);
            return false; // the thread ends here, as a fresh thread would after an uncaught throw
        }
        w.endTask(running);
        try {
            if (JdkInternals.hasOpenScopes(self)) {
                // The task left a StructuredTaskScope open. A fresh thread's end closes it
                // (VirtualThread.run pops every open scope after the task): end this one too.
                home.retireWithOpenScope(w);
                return false;
            }
            if (Faults.ARMED) {
                Faults.at(Faults.Step.UNDRESS);
            }
            FreshThread.undress(self);
            if (healthy && home.offer(w)) {
                return true;
            }
        } catch (Throwable t) {
            home.internalFailure(t);
        }
        // a submitter may have claimed us in the meantime: its task must run (next serveOne)
        return !w.retireUnlessHanded();
    }

    /**
     * Decision: a task that threw retires its thread (reason {@code error}) instead of being
     * recycled. The throw itself is reported exactly as a fresh thread reports it; but a task that
     * died abruptly may have left thread state we do not reset (an open StructuredTaskScope, a
     * pushed ScopedValue frame it never popped, a huge stack after a StackOverflowError). Errors
     * are rare, so the price is one thread creation per error.
     */
    private static void reportUncaught(Thread self, Throwable failure) {
        try {
            // getUncaughtExceptionHandler(): the task's handler, or the thread group, which
            // delegates to the default handler: what Thread.dispatchUncaughtException does.
            self.getUncaughtExceptionHandler().uncaughtException(self, failure);
        } catch (Throwable ignored) {
            // a fresh thread ignores a throwing handler too
        }
    }

    private static long awaitHandoff(Worker w) {
        for (;;) {
            long s = w.state();
            int k = Worker.kind(s);
            if (k == Worker.HANDED) {
                if (w.take(s)) {
                    return s;
                }
                continue; // the submitter took it back (its wake-up failed): RETIRED now
            }
            if (k == Worker.RETIRED) {
                return -1;
            }
            LockSupport.park(w);
            // An interrupt through a leaked Thread reference would make every park return at once:
            // drop it (dressAsNew clears it anyway before the next task).
            Thread.interrupted();
        }
    }
}
