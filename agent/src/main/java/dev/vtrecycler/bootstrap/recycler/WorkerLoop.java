package dev.vtrecycler.bootstrap.recycler;

import java.util.concurrent.locks.LockSupport;

/**
 * The body of a pooled virtual thread: wait to be handed a task, make the thread look new
 * ({@link FreshThread}), run the task, offer the thread back to the pools (stack gate, gfput),
 * repeat until retired. Only the worker's own thread runs this.
 */
final class WorkerLoop {
    private WorkerLoop() {}

    static void run(Worker w) {
        try {
            loop(w);
        } finally {
            w.recycler.workerEnded();
        }
    }

    private static void loop(Worker w) {
        Thread self = w.thread;
        Recycler recycler = w.recycler;
        for (;;) {
            long handed = awaitHandoff(w);
            if (handed < 0) {
                return;
            }
            Runnable job = w.task;
            String jobName = w.name;
            Thread.UncaughtExceptionHandler jobHandler = w.handler;
            ClassLoader jobLoader = w.contextClassLoader;
            Object jobInherited = w.inheritedMap;
            w.task = null;
            w.name = null;
            w.handler = null;
            w.contextClassLoader = null;
            w.inheritedMap = null;

            boolean healthy = true;
            try {
                FreshThread.dressAsNew(w, self, jobName, jobHandler, jobLoader, jobInherited);
            } catch (Throwable t) {
                healthy = recycler.internalFailure(t); // the task still runs; the thread retires after
            }
            long running = Worker.withKind(handed, Worker.RUNNING);
            w.publishRunning(running);
            Throwable failure = null;
            try {
                job.run();
            } catch (Throwable t) {
                failure = t;
            }
            w.endTask(running);
            job = null;
            if (failure != null) {
                reportUncaught(self, failure);
                recycler.retireAfterError(w);
                return; // the thread ends here, as a fresh thread would after an uncaught throw
            }
            try {
                FreshThread.undress(self);
                if (healthy && recycler.offer(w)) {
                    continue;
                }
            } catch (Throwable t) {
                recycler.internalFailure(t);
            }
            if (w.retireUnlessHanded()) {
                return;
            }
            // a submitter claimed us in the meantime: its task must run
        }
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
                return s;
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
