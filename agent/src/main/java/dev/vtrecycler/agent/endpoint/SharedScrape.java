package dev.vtrecycler.agent.endpoint;

import java.util.concurrent.Callable;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One scrape at a time, shared by every request that arrived before it started: a request gets the
 * result of a scrape that began after the request came, so it is as fresh as its own scrape would
 * have been, but 32 connections pipelining {@code GET /metrics} cost one scrape at a time (one
 * core at most), not 32. A request that waits tells its connection ({@link ConnectionHooks}), which
 * may then be evicted; the eviction interrupts the wait.
 *
 * <p>Scrapes are numbered: {@code started} counts scrapes begun, {@code finished} the number of the
 * last one done. A request that arrives when {@code started == n} needs scrape {@code n + 1} or a
 * later one; whoever finds no scrape running and its need unmet starts the next.
 */
final class SharedScrape {
    private final Callable<byte[]> scrape;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();
    // guarded by lock
    private long started;
    private long finished;
    private boolean running;
    private byte[] result;
    private Exception failure;

    SharedScrape(Callable<byte[]> scrape) {
        this.scrape = scrape;
    }

    /**
     * The body of a scrape begun after this call; throws what the scrape threw, or
     * InterruptedException when the connection was closed while waiting.
     */
    byte[] get(ConnectionHooks hooks) throws Exception {
        lock.lock();
        try {
            long need = started + 1;
            while (finished < need) {
                if (!running) {
                    return lead();
                }
                hooks.waiting();
                try {
                    done.await();
                } finally {
                    hooks.working();
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("connection closed while waiting for a scrape");
                }
            }
            if (failure != null) {
                throw failure;
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    /** Runs the next scrape with the lock released meanwhile; called and returns with the lock held. */
    private byte[] lead() throws Exception {
        long mine = ++started;
        running = true;
        byte[] body = null;
        Exception error = null;
        lock.unlock();
        try {
            body = scrape.call();
        } catch (Exception e) {
            error = e;
        } finally {
            lock.lock();
            running = false;
            finished = mine;
            result = body;
            failure = error;
            done.signalAll();
        }
        if (error != null) {
            throw error;
        }
        return body;
    }
}
