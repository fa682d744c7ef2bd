package dev.vtrecycler.it.timer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Timed parks that time out and timed parks woken early, mixed on the same threads, with deadlines
 * going up and down (issue 19): with the agent, a timeout left behind by an early wake-up stays
 * pended and fires later, while its thread is in another park. It must never end that park early.
 *
 * <p>An early return is <em>explained</em> when an unpark of the thread was issued since the park
 * before it began, or was in flight then (its permit may be left for this park), or when an earlier park of the thread was ended by an unpark within
 * {@link #RACE_NANOS} of its own deadline and that deadline has passed by the return: then that
 * park's timeout may have started as the unpark came, and its late {@code unpark} sets the permit
 * the next park consumes (the JDK's own window: its cancel does not stop a started timeout). Any
 * other early return is a timeout ending a park it was not armed for.
 */
final class MixedParks {
    static final long RACE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private MixedParks() {}

    /** {@code threads} parkers of {@code parks} parks each, 100 µs to 3 ms, one waker unparking them at random. */
    static String run(int threads, int parks) throws InterruptedException {
        AtomicInteger unexplained = new AtomicInteger();
        AtomicInteger early = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        List<Parker> parkers = new ArrayList<>();
        List<Thread> started = new ArrayList<>();
        java.util.concurrent.CountDownLatch counting = new java.util.concurrent.CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Parker p = new Parker(t, parks, unexplained, early, counting);
            parkers.add(p);
            Thread thread = Thread.ofVirtual().unstarted(() -> {
                p.parkAll();
                done.incrementAndGet();
            });
            p.thread = thread;
            started.add(thread);
        }
        started.forEach(Thread::start);
        counting.await(); // every unpark comes after each parker's first count: none is unaccounted for
        Thread waker = Thread.ofPlatform().start(() -> {
            SplittableRandom random = new SplittableRandom(42);
            while (done.get() < threads) {
                Parker p = parkers.get(random.nextInt(threads));
                p.issued.incrementAndGet();
                LockSupport.unpark(p.thread);
                p.delivered.incrementAndGet();
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200 + random.nextInt(800)));
            }
        });
        int lost = TimedParkScenariosMain.joinAll(started);
        waker.join();
        // "early" depends on timing; what must be 0 is the unexplained ones
        System.out.println("MIXED early returns explained by an unpark or a racing timeout: " + early.get());
        return "unexplained-early=" + unexplained.get() + " lost=" + lost;
    }

    private static final class Parker {
        final AtomicLong issued = new AtomicLong();
        final AtomicLong delivered = new AtomicLong();
        final int parks;
        final SplittableRandom random;
        final AtomicInteger unexplained;
        final AtomicInteger early;
        final java.util.concurrent.CountDownLatch counting;
        volatile Thread thread;
        /** The deadline of the latest park ended by an unpark within {@link #RACE_NANOS} of it. */
        long racedDeadline = Long.MIN_VALUE;

        Parker(int seed, int parks, AtomicInteger unexplained, AtomicInteger early,
                java.util.concurrent.CountDownLatch counting) {
            this.counting = counting;
            this.parks = parks;
            this.random = new SplittableRandom(seed);
            this.unexplained = unexplained;
            this.early = early;
        }

        void parkAll() {
            long issuedBefore = issued.get(); // as the park before this one began
            boolean inFlight = issuedBefore != delivered.get();
            counting.countDown();
            for (int i = 0; i < parks; i++) {
                long nanos = TimeUnit.MICROSECONDS.toNanos(100 + random.nextInt(2_900));
                long issuedNow = issued.get();
                boolean inFlightNow = issuedNow != delivered.get();
                long start = System.nanoTime();
                long deadline = start + nanos;
                LockSupport.parkNanos(nanos);
                long end = System.nanoTime();
                boolean unparked = inFlight || issued.get() != issuedBefore;
                issuedBefore = issuedNow;
                inFlight = inFlightNow;
                if (end >= deadline) {
                    continue;
                }
                boolean racingTimeout = racedDeadline != Long.MIN_VALUE && racedDeadline - end <= 0
                        && racedDeadline - start > -TimeUnit.MILLISECONDS.toNanos(50);
                if (unparked || racingTimeout) {
                    early.incrementAndGet();
                } else {
                    unexplained.incrementAndGet();
                    System.out.println("UNEXPLAINED early return of park " + i + " of " + Thread.currentThread()
                            + ": " + nanos + " ns asked, returned after " + (end - start) + " ns");
                }
                if (deadline - end <= RACE_NANOS) {
                    racedDeadline = deadline;
                }
            }
        }
    }
}
