package dev.vtrecycler.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Threads admit, serve, keep alive and drop connections at once, as the acceptor and connection
 * threads do, while another expires them. Invariants: never more than the cap open; a connection
 * being served is never closed by an admission (only idle ones make room); the deadlines expire
 * everything in the end.
 */
class ConnectionTableStressTest {
    private static final int CAP = 8;

    @Test
    void capHoldsAndServingConnectionsAreNeverEvicted() throws Exception {
        Limits limits = new Limits(CAP, CAP, Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofHours(1), 100, 4);
        ConnectionTable table = new ConnectionTable(limits);
        int threads = 6;
        int rounds = 20_000;
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        Socket socket = new Socket();
                        Connection c = new Connection(socket, table, null, null);
                        if (!table.admit(c, System.nanoTime())) {
                            refused.incrementAndGet();
                            continue;
                        }
                        admitted.incrementAndGet();
                        if (table.size() > CAP) {
                            violations.add("size " + table.size() + " over the cap");
                        }
                        if (table.enter(c, Phase.SERVING, System.nanoTime())) {
                            Thread.yield(); // let the others admit (and evict) meanwhile
                            if (socket.isClosed()) {
                                violations.add("a connection being served was closed");
                            }
                        }
                        if ((i & 1) == 0) {
                            table.enter(c, Phase.IDLE, System.nanoTime()); // stays, idle: may be evicted or expire
                        } else {
                            table.remove(c);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        Thread reaper = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                table.expire(System.nanoTime());
                Thread.onSpinWait();
            }
        });
        workers.forEach(Thread::start);
        reaper.start();
        start.countDown();
        for (Thread w : workers) {
            w.join(120_000);
        }
        reaper.interrupt();
        reaper.join(10_000);

        assertThat(violations).isEmpty();
        assertThat(admitted.get() + refused.get()).isEqualTo(threads * rounds);
        assertThat(admitted.get()).isPositive();
        Thread.sleep(60);
        table.expire(System.nanoTime() + limits.keepAliveTimeout().toNanos());
        assertThat(table.size()).as("every idle connection expires").isZero();
    }
}
