package dev.vtrecycler.demo.workload;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The seed's {@code Ping}: {@code rounds} rounds; in each, {@code threads} virtual threads do one
 * HTTP GET each and the round waits for all of them.
 *
 * <p>Threads start with {@code Thread.startVirtualThread(task);} and the returned Thread is
 * dropped: that is the call-site shape the agent may route to recycled threads (nobody can observe
 * the thread). The round waits on a {@link CountDownLatch}, Go's {@code sync.WaitGroup}, not on
 * {@code join}, which would need the Thread.
 */
public final class PingWorkload {
    private final int port;
    private final int rounds;
    private final int threads;

    public PingWorkload(int port, int rounds, int threads) {
        this.port = port;
        this.rounds = rounds;
        this.threads = threads;
    }

    /** One operation; returns the number of requests done. */
    public int run() throws Exception {
        return run(null);
    }

    /**
     * Same, recording {@code Thread.currentThread().threadId()} of every task in {@code threadIds}
     * (length rounds * threads, or null): how {@code compare} sees whether threads were reused.
     */
    public int run(long[] threadIds) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int round = 0; round < rounds; round++) {
            CountDownLatch done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                int slot = round * threads + t;
                Runnable task = () -> {
                    try {
                        if (threadIds != null) {
                            threadIds[slot] = Thread.currentThread().threadId();
                        }
                        HttpGet.get(port, "/");
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        done.countDown();
                    }
                };
                Thread.startVirtualThread(task);
            }
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("ping round " + round + " did not finish within 60 s");
            }
            Throwable error = failure.get();
            if (error != null) {
                throw new IllegalStateException("ping failed: " + error, error);
            }
        }
        return rounds * threads;
    }

    public int tasksPerOperation() {
        return rounds * threads;
    }
}
