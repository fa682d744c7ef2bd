package dev.vtrecycler.bootstrap.recycler;

import dev.vtrecycler.bootstrap.BootLog;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;

/**
 * The recycler's one platform daemon thread, {@code vtrecycler-housekeeper} (never a virtual thread:
 * it must not compete with, or be starved by, the pooled threads; never on the hot path).
 *
 * <p>GC detection uses java.base only: a weakly reachable sentinel registered with a
 * {@link ReferenceQueue}. The sentinel is young, so the next collection that processes the young
 * generation clears and enqueues it; we then drain the global list (Go's markrootFreeGStacks) and
 * plant a new sentinel. java.lang.management notifications would work too but drag in JMX.
 *
 * <p>Between GCs it wakes every {@link #periodNanos} (a quarter of idle-timeout, within
 * [10 ms, 1 s]) to refresh the coarse clock, retire idle threads and purge dead carriers' lists.
 */
final class Housekeeper implements Runnable {
    final long periodNanos;
    private final Housekeeping work;
    private final ReferenceQueue<Object> gcQueue = new ReferenceQueue<>();
    private final Thread thread;
    private volatile boolean stopped;
    @SuppressWarnings("unused") // kept reachable so that it is the referent, not the reference, that dies
    private WeakReference<Object> sentinel;
    private boolean warned;

    Housekeeper(Housekeeping work, RecyclerSettings settings) {
        this.work = work;
        long quarter = settings.idleTimeoutNanos() / 4;
        this.periodNanos = Math.clamp(quarter, TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(1));
        work.clockSlackNanos = periodNanos;
        this.thread = Thread.ofPlatform().daemon().name("vtrecycler-housekeeper").unstarted(this);
    }

    void start() {
        plantSentinel();
        thread.start();
    }

    void stop() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void plantSentinel() {
        sentinel = new WeakReference<>(new Object(), gcQueue);
    }

    @Override
    public void run() {
        long periodMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(periodNanos));
        while (!stopped) {
            try {
                Reference<?> cleared = gcQueue.remove(periodMillis);
                if (stopped) {
                    return;
                }
                if (cleared != null) {
                    plantSentinel();
                    work.drainGlobalAfterGc();
                }
                work.pass();
            } catch (InterruptedException e) {
                if (stopped) {
                    return;
                }
            } catch (Throwable t) {
                if (!warned) {
                    warned = true;
                    BootLog.warn("housekeeping failed (" + t + "); will keep trying");
                }
            }
        }
    }
}
