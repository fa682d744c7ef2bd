package dev.vtrecycler.it.timer;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Timed parks of virtual threads, each scenario printing one {@code RESULT} line that depends only
 * on what the JDK promises (never on timing luck), so a JVM with the agent must print exactly the
 * lines of a JVM without it ({@code TimedParkForkedIT}). "early" counts returns before the timeout
 * that nothing caused; "lost" counts parks that never came back (a 20 s guard); the extra lines
 * ({@code COUNTERS}) say how the timeouts were armed.
 *
 * <p>Needs {@code --add-opens java.base/java.lang=ALL-UNNAMED} for the custom-scheduler scenario.
 */
public final class TimedParkScenariosMain {
    static final long GUARD_NANOS = TimeUnit.SECONDS.toNanos(20);

    public static void main(String[] args) throws Exception {
        result("timeouts", timeouts(Thread.ofVirtual().factory(), 8, 200));
        result("sleeps", sleeps(8, 100));
        result("early-unpark", earlyUnparks(500));
        result("timeout-after-early-unparks", timeoutAfterEarlyUnparks(200));
        result("interrupted-park", interruptedPark());
        result("interrupted-sleep", interruptedSleep());
        result("timed-wait", timedObjectWait());
        result("condition-await", conditionAwait());
        result("unpark-at-deadline", unparkAtDeadline(300));
        result("same-deadline", sameDeadline(2_000));
        result("mixed-early-and-timed-out", MixedParks.run(8, 300));
        result("untimed-after-early-unpark", untimedAfterEarlyUnpark(40));
        result("custom-fork-join-scheduler", customScheduler(new ForkJoinPool(2)));
        ExecutorService plain = Executors.newFixedThreadPool(2);
        result("custom-plain-scheduler", customScheduler(plain));
        plain.shutdown();
        System.out.println("COUNTERS " + counter("REUSED", "reused") + " " + counter("ALLOCATED", "allocated"));
        System.out.flush();
        if (args.length > 0 && args[0].equals("hold")) { // so a test can scrape the metrics first
            new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
        }
    }

    private static void result(String name, String outcome) {
        System.out.println("RESULT " + name + " " + outcome);
        System.out.flush();
    }

    /** Threads that each park {@code parks} times for 1-3 ms: none returns early, none is lost. */
    static String timeouts(java.util.concurrent.ThreadFactory factory, int threads, int parks) throws InterruptedException {
        AtomicInteger early = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = factory.newThread(() -> {
                for (int i = 0; i < parks; i++) {
                    long nanos = TimeUnit.MICROSECONDS.toNanos(1000 + (i % 3) * 1000);
                    long start = System.nanoTime();
                    long deadline = start + nanos;
                    // parkNanos may return spuriously (its contract); a caller re-parks for the rest
                    LockSupport.parkNanos(nanos);
                    long returned = System.nanoTime();
                    if (returned < deadline) {
                        early.incrementAndGet();
                        // how early tells a stale wake-up (about a park's length) from a clock
                        // or measurement effect (nanoseconds): not a RESULT line, a diagnostic
                        System.out.println("EARLY park " + i + " of " + Thread.currentThread() + ": " + nanos
                                + " ns asked, returned after " + (returned - start) + " ns");
                        while (System.nanoTime() < deadline) {
                            LockSupport.parkNanos(deadline - System.nanoTime());
                        }
                    }
                    done.incrementAndGet();
                }
            });
            thread.start();
            started.add(thread);
        }
        int lost = joinAll(started);
        // a spurious early return needs an unpark nobody made: none happens in this program
        return "early=" + early.get() + " done=" + done.get() + " lost=" + lost;
    }

    static String sleeps(int threads, int sleeps) throws InterruptedException {
        AtomicInteger early = new AtomicInteger();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            started.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < sleeps; i++) {
                    long start = System.nanoTime();
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    if (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(2)) {
                        early.incrementAndGet();
                    }
                }
            }));
        }
        return "early=" + early.get() + " lost=" + joinAll(started);
    }

    /** One thread parks for 20 s, {@code n} times; another unparks it each time once it is parked. */
    static String earlyUnparks(int n) throws InterruptedException {
        AtomicInteger late = new AtomicInteger();
        AtomicInteger turn = new AtomicInteger();
        Thread parker = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < n; i++) {
                turn.set(1);
                long start = System.nanoTime();
                while (turn.get() == 1) {
                    LockSupport.parkNanos(GUARD_NANOS);
                    if (System.nanoTime() - start >= GUARD_NANOS) {
                        late.incrementAndGet();
                        return;
                    }
                }
            }
        });
        int unparks = 0;
        while (parker.isAlive()) {
            if (turn.get() == 1 && parker.getState() == Thread.State.TIMED_WAITING) {
                turn.set(0);
                LockSupport.unpark(parker);
                unparks++;
            } else {
                Thread.onSpinWait();
            }
        }
        return "late=" + late.get() + " unparked=" + (unparks == n);
    }

    /**
     * A timed park woken early, then an untimed park that lasts past the first park's deadline: the
     * first park's timeout must not end the second (with the agent that timeout is left pended, issue
     * 19). Rounds where the timed park timed out before the unpark came are not checked (the unpark's
     * permit may be left for the untimed park).
     */
    static String untimedAfterEarlyUnpark(int rounds) throws InterruptedException {
        long timedNanos = TimeUnit.MILLISECONDS.toNanos(5);
        AtomicInteger go = new AtomicInteger(-1); // the round the main thread started
        AtomicInteger finished = new AtomicInteger(-1); // the round the parker finished
        AtomicInteger phase = new AtomicInteger(); // 1 timed park, 2 cut early, 3 timed out
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicInteger ended = new AtomicInteger();
        AtomicInteger checked = new AtomicInteger();
        Thread t = Thread.ofVirtual().unstarted(() -> {
            for (int i = 0; i < rounds; i++) {
                while (go.get() != i) {
                    Thread.onSpinWait();
                }
                long start = System.nanoTime();
                phase.set(1);
                LockSupport.parkNanos(timedNanos); // the main thread unparks it at once
                boolean cutEarly = System.nanoTime() - start < timedNanos;
                phase.set(cutEarly ? 2 : 3);
                if (cutEarly) {
                    checked.incrementAndGet();
                    while (!released.get()) {
                        LockSupport.park();
                        if (!released.get()) {
                            ended.incrementAndGet(); // nobody unparked it: the old timeout did
                        }
                    }
                }
                finished.set(i);
            }
        });
        t.start();
        for (int i = 0; i < rounds; i++) {
            phase.set(0);
            released.set(false);
            go.set(i);
            int p;
            while ((p = phase.get()) < 2 && (p != 1 || t.getState() != Thread.State.TIMED_WAITING)) {
                Thread.onSpinWait();
            }
            long timedAt = System.nanoTime();
            if (p == 1) { // else the timed park returned at once: a permit left by a round that timed out
                LockSupport.unpark(t);
            }
            while ((p = phase.get()) == 1) {
                Thread.onSpinWait();
            }
            if (p == 2) {
                awaitState(t, Thread.State.WAITING);
                while (System.nanoTime() - timedAt < timedNanos + TimeUnit.MILLISECONDS.toNanos(3)) {
                    Thread.sleep(1); // past the timed park's deadline
                }
                released.set(true);
                LockSupport.unpark(t);
            }
            while (finished.get() != i) {
                Thread.onSpinWait();
            }
        }
        int lost = joinAll(List.of(t));
        System.out.println("UNTIMED rounds checked: " + checked.get() + " of " + rounds);
        return "endedByOldTimeout=" + ended.get() + " lost=" + lost;
    }

    /** After many early unparks (each a cancelled timeout), a timeout still fires on time. */
    static String timeoutAfterEarlyUnparks(int n) throws InterruptedException {
        earlyUnparks(n);
        AtomicInteger early = new AtomicInteger();
        Thread t = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 50; i++) {
                long start = System.nanoTime();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3));
                if (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(3)) {
                    early.incrementAndGet();
                }
            }
        });
        return "early=" + early.get() + " lost=" + joinAll(List.of(t));
    }

    static String interruptedPark() throws InterruptedException {
        CountDownLatch parked = new CountDownLatch(1);
        long[] elapsed = new long[1];
        boolean[] interrupted = new boolean[1];
        Thread t = Thread.ofVirtual().start(() -> {
            parked.countDown();
            long start = System.nanoTime();
            while (!Thread.currentThread().isInterrupted() && System.nanoTime() - start < GUARD_NANOS) {
                LockSupport.parkNanos(GUARD_NANOS);
            }
            elapsed[0] = System.nanoTime() - start;
            interrupted[0] = Thread.currentThread().isInterrupted();
        });
        parked.await();
        awaitState(t, Thread.State.TIMED_WAITING);
        t.interrupt();
        t.join();
        return "interrupted=" + interrupted[0] + " beforeTimeout=" + (elapsed[0] < GUARD_NANOS);
    }

    static String interruptedSleep() throws InterruptedException {
        String[] outcome = new String[1];
        Thread t = Thread.ofVirtual().start(() -> {
            long start = System.nanoTime();
            try {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(GUARD_NANOS));
                outcome[0] = "slept";
            } catch (InterruptedException e) {
                outcome[0] = "InterruptedException beforeTimeout=" + (System.nanoTime() - start < GUARD_NANOS)
                        + " flagCleared=" + !Thread.currentThread().isInterrupted();
            }
        });
        awaitState(t, Thread.State.TIMED_WAITING);
        t.interrupt();
        t.join();
        return outcome[0];
    }

    static String timedObjectWait() throws InterruptedException {
        Object lock = new Object();
        String[] outcome = new String[2];
        Thread timesOut = Thread.ofVirtual().start(() -> {
            synchronized (lock) {
                long start = System.nanoTime();
                try {
                    lock.wait(5);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                // Object.wait may wake spuriously; the JDK's virtual threads do not here
                outcome[0] = "timedOutNotEarly=" + (System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(5));
            }
        });
        timesOut.join();
        boolean[] notified = new boolean[1];
        Thread waiter = Thread.ofVirtual().start(() -> {
            synchronized (lock) {
                long start = System.nanoTime();
                while (!notified[0] && System.nanoTime() - start < GUARD_NANOS) {
                    try {
                        lock.wait(TimeUnit.NANOSECONDS.toMillis(GUARD_NANOS));
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
                outcome[1] = "notifiedBeforeTimeout=" + (System.nanoTime() - start < GUARD_NANOS);
            }
        });
        awaitState(waiter, Thread.State.TIMED_WAITING);
        synchronized (lock) {
            notified[0] = true;
            lock.notifyAll();
        }
        waiter.join();
        return outcome[0] + " " + outcome[1];
    }

    static String conditionAwait() throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        Condition condition = lock.newCondition();
        String[] outcome = new String[2];
        boolean[] signalled = new boolean[1];
        Thread timesOut = Thread.ofVirtual().start(() -> {
            lock.lock();
            try {
                long start = System.nanoTime();
                boolean woke = condition.await(5, TimeUnit.MILLISECONDS);
                outcome[0] = "timedOut=" + !woke + " notEarly=" + (System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(5));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            } finally {
                lock.unlock();
            }
        });
        timesOut.join();
        Thread waiter = Thread.ofVirtual().start(() -> {
            lock.lock();
            try {
                long nanos = GUARD_NANOS;
                while (!signalled[0] && nanos > 0) {
                    nanos = condition.awaitNanos(nanos);
                }
                outcome[1] = "signalledBeforeTimeout=" + (nanos > 0);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            } finally {
                lock.unlock();
            }
        });
        awaitState(waiter, Thread.State.TIMED_WAITING);
        lock.lock();
        try {
            signalled[0] = true;
            condition.signal();
        } finally {
            lock.unlock();
        }
        waiter.join();
        return outcome[0] + " " + outcome[1];
    }

    /**
     * A thread parks for 1 ms while a platform thread unparks it at that very deadline, {@code n}
     * times: the timeout and the unpark race, and the cancel of the timeout races its firing. Every
     * park comes back; the thread's next timeout then still fires.
     */
    static String unparkAtDeadline(int n) throws InterruptedException {
        AtomicInteger turn = new AtomicInteger();
        long[] deadline = new long[1];
        AtomicInteger lost = new AtomicInteger();
        Thread parker = Thread.ofVirtual().unstarted(() -> {
            for (int i = 0; i < n; i++) {
                while (turn.get() != 1) {
                    Thread.onSpinWait();
                }
                long start = System.nanoTime();
                deadline[0] = start + TimeUnit.MILLISECONDS.toNanos(1);
                turn.set(2);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                if (System.nanoTime() - start >= GUARD_NANOS) {
                    lost.incrementAndGet();
                }
                while (turn.get() != 3) {
                    Thread.onSpinWait();
                }
                turn.set(0);
            }
        });
        Thread unparker = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < n; i++) {
                turn.set(1);
                while (turn.get() != 2) {
                    Thread.onSpinWait();
                }
                long at = deadline[0];
                while (System.nanoTime() < at) {
                    Thread.onSpinWait();
                }
                LockSupport.unpark(parker);
                turn.set(3);
                while (turn.get() != 0) {
                    Thread.onSpinWait();
                }
            }
        });
        parker.start();
        int notBack = joinAll(List.of(parker, unparker));
        String after = timeouts(Thread.ofVirtual().factory(), 1, 20);
        return "lost=" + lost.get() + " notBack=" + notBack + " then " + after;
    }

    /** {@code n} threads park until one shared deadline: all come back, none before it. */
    static String sameDeadline(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        AtomicInteger early = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                long left;
                boolean returnedEarly = false;
                while ((left = deadline - System.nanoTime()) > 0) {
                    if (returnedEarly) {
                        break;
                    }
                    LockSupport.parkNanos(left);
                    returnedEarly = System.nanoTime() < deadline;
                }
                if (returnedEarly) {
                    early.incrementAndGet();
                }
            }));
        }
        return "early=" + early.get() + " lost=" + joinAll(threads);
    }

    /** Timed parks of virtual threads whose scheduler is {@code scheduler} (JDK-internal builder). */
    static String customScheduler(Executor scheduler) throws Exception {
        Class<?> builderClass = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
        Constructor<?> constructor = builderClass.getDeclaredConstructor(Executor.class);
        constructor.setAccessible(true);
        Thread.Builder builder = (Thread.Builder) constructor.newInstance(scheduler);
        String outcome = timeouts(builder.factory(), 4, 50);
        if (scheduler instanceof ForkJoinPool pool) {
            pool.shutdown();
        }
        return outcome;
    }

    /**
     * How many of {@code threads} did not terminate within two minutes, by {@code join(Duration)}'s own
     * answer. Not {@code isAlive()} after the join: for a platform thread that answer can still be
     * true after {@code join(Duration)} returned true. HotSpot's thread exit ({@code ensure_join})
     * writes the status TERMINATED before it clears {@code eetop}, {@code join(Duration)} returns at
     * once when it reads TERMINATED, and {@code isAlive()} reads {@code eetop}: the JDK alone, no
     * agent, answered "alive" after a successful join for 496 of 20,000 threads joined the moment
     * their status read TERMINATED (JDK 21.0.13: 55 of 5,000; {@link JoinAllTest}).
     */
    static int joinAll(List<Thread> threads) throws InterruptedException {
        // generous: each park checks its own lateness; this only turns a hang into a line
        return joinAllWithin(threads, java.time.Duration.ofMinutes(2));
    }

    static int joinAllWithin(List<Thread> threads, java.time.Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        int lost = 0;
        for (Thread t : threads) {
            if (notBack(t, java.time.Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                lost++;
            }
        }
        return lost;
    }

    /** Whether {@code t} did not terminate within {@code bound}: {@code join(Duration)}'s answer, see {@link #joinAll}. */
    static boolean notBack(Thread t, java.time.Duration bound) throws InterruptedException {
        return !t.join(bound);
    }

    private static void awaitState(Thread t, Thread.State state) {
        while (t.getState() != state) {
            Thread.onSpinWait();
        }
    }

    static String counter(String field, String name) {
        try {
            Object counter = Class.forName("dev.vtrecycler.bootstrap.wakeup.Timeouts", true, null).getField(field).get(null);
            return name + "=" + counter.getClass().getMethod("sum").invoke(counter);
        } catch (ClassNotFoundException e) {
            return name + "=absent";
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private TimedParkScenariosMain() {}
}
