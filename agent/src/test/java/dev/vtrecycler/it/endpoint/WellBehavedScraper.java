package dev.vtrecycler.it.endpoint;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the attack tests protect: a scraper that opens a fresh connection every {@code interval}
 * (the costlier way, a kept-alive connection never meets a full table) and counts the scrapes
 * answered with 200 within {@link #LIMIT}.
 */
final class WellBehavedScraper implements AutoCloseable {
    static final Duration LIMIT = Duration.ofSeconds(2);

    private final AttackTarget target;
    private final Duration interval;
    private final AtomicInteger attempted = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stopped;

    WellBehavedScraper(AttackTarget target, Duration interval) {
        this.target = target;
        this.interval = interval;
        this.thread = new Thread(this::loop, "well-behaved-scraper");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void loop() {
        while (!stopped) {
            long start = System.nanoTime();
            boolean ok = target.scrapeWithin(LIMIT);
            if (stopped) {
                return; // a scrape cut short by the end of the test does not count
            }
            attempted.incrementAndGet();
            if (ok) {
                answered.incrementAndGet();
            }
            long rest = interval.toNanos() - (System.nanoTime() - start);
            if (rest > 0) {
                try {
                    Thread.sleep(rest / 1_000_000, (int) (rest % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    int attempted() {
        return attempted.get();
    }

    int answered() {
        return answered.get();
    }

    /** Answered share, 0..1. */
    double answeredShare() {
        return attempted() == 0 ? 0 : (double) answered() / attempted();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(LIMIT.plusSeconds(5).toMillis());
    }

    @Override
    public String toString() {
        return answered() + " of " + attempted() + " scrapes answered within " + LIMIT.toMillis() + " ms";
    }
}
