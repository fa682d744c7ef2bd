package dev.vtrecycler.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many threads ask for scrapes at once. Invariants: never two scrapes at once; every answer comes
 * from a scrape that started after the request did (as fresh as its own scrape); far fewer scrapes
 * than requests; a failed scrape fails the requests that waited for it and not later ones.
 */
class SharedScrapeTest {

    @Test
    void oneScrapeAtATimeEachAnswerFresh() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger scrapes = new AtomicInteger();
        AtomicLong sequence = new AtomicLong();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        SharedScrape shared = new SharedScrape(() -> {
            if (running.incrementAndGet() > 1) {
                violations.add("two scrapes at once");
            }
            long startedAt = sequence.incrementAndGet(); // a logical clock: later events get larger numbers
            scrapes.incrementAndGet();
            Thread.yield();
            running.decrementAndGet();
            return ByteBuffer.allocate(8).putLong(startedAt).array();
        });
        int threads = 8;
        int requests = 2_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < requests; i++) {
                        long arrived = sequence.incrementAndGet();
                        long startedAt = ByteBuffer.wrap(shared.get(ConnectionHooks.NONE)).getLong();
                        if (startedAt < arrived) {
                            violations.add("an answer from a scrape that began before its request");
                        }
                    }
                } catch (Exception e) {
                    violations.add(e.toString());
                }
            }));
        }
        workers.forEach(Thread::start);
        start.countDown();
        for (Thread w : workers) {
            w.join(120_000);
        }
        assertThat(violations).isEmpty();
        assertThat(scrapes.get()).isBetween(1, threads * requests);
    }

    @Test
    void aFailureReachesItsRequestsOnly() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SharedScrape shared = new SharedScrape(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("a meter failed");
            }
            return new byte[] {42};
        });
        assertThatThrownBy(() -> shared.get(ConnectionHooks.NONE)).isInstanceOf(IllegalStateException.class);
        assertThat(shared.get(ConnectionHooks.NONE)).containsExactly(42);
    }

    @Test
    void aWaiterWhoseConnectionIsClosedGivesUp() throws Exception {
        CountDownLatch inScrape = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SharedScrape shared = new SharedScrape(() -> {
            inScrape.countDown();
            release.await();
            return new byte[] {1};
        });
        Thread leader = new Thread(() -> {
            try {
                shared.get(ConnectionHooks.NONE);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        leader.start();
        inScrape.await();
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicInteger outcome = new AtomicInteger();
        Thread waiter = new Thread(() -> {
            try {
                shared.get(new ConnectionHooks() {
                    @Override public void waiting() {
                        waiting.countDown();
                    }

                    @Override public boolean working() {
                        return true;
                    }

                    @Override public int passwordFailed() {
                        return 1;
                    }
                });
                outcome.set(1);
            } catch (InterruptedException e) {
                outcome.set(2);
            } catch (Exception e) {
                outcome.set(3);
            }
        });
        waiter.start();
        waiting.await();
        waiter.interrupt(); // what eviction does
        waiter.join(10_000);
        assertThat(outcome.get()).as("1 answered, 2 gave up, 3 failed").isEqualTo(2);
        release.countDown();
        leader.join(10_000);
    }
}
