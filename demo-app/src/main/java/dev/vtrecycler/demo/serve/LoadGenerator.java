package dev.vtrecycler.demo.serve;

import dev.vtrecycler.demo.workload.HttpGet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A paced loopback load generator for {@code serve --load}: a few platform threads (so that the
 * virtual threads on the dashboard are all the server's), each sending one GET at a time at its
 * share of {@code ratePerSecond}. Paced, not flat out: the machine it runs on is shared.
 */
final class LoadGenerator implements AutoCloseable {
    private static final int CLIENTS = 4;

    private final List<Thread> clients = new ArrayList<>();
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile boolean running = true;

    LoadGenerator(int port, String path, int ratePerSecond) {
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) * CLIENTS / ratePerSecond;
        for (int i = 0; i < CLIENTS; i++) {
            Thread client = new Thread(() -> loop(port, path, intervalNanos), "load-" + i);
            client.setDaemon(true);
            clients.add(client);
        }
    }

    void start() {
        clients.forEach(Thread::start);
    }

    private void loop(int port, String path, long intervalNanos) {
        long next = System.nanoTime();
        while (running) {
            try {
                HttpGet.get(port, path);
                sent.increment();
            } catch (Exception e) {
                failed.increment();
                lastError.set(e.toString());
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime(); // fell behind: do not burst to catch up
            }
        }
    }

    long sent() {
        return sent.sum();
    }

    long failed() {
        return failed.sum();
    }

    String lastError() {
        return lastError.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread client : clients) {
            client.join(2_000);
        }
    }
}
