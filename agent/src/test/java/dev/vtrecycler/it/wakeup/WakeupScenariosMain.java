package dev.vtrecycler.it.wakeup;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Every way a virtual thread is woken, each ending in an exact, deterministic result line
 * {@code RESULT <scenario> <value>}. {@code WakeupForkedIT} runs it without the agent, with
 * {@code mode=recycle} (reusable wake-up tasks) and with {@code -Xverify:all}, and compares the
 * lines: with wake-up tasks reused, nothing may be lost, duplicated or hang.
 *
 * <p>Needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} for the pinned scenario
 * ({@code Continuation.pin()}, the one pin that behaves the same on JDK 21 and 25).
 */
public final class WakeupScenariosMain {
    static final long HANDOFFS = 1_000_000;

    public static void main(String[] args) throws Exception {
        // args: scenario names to leave out (WakeupForkedIT: what the JDK itself cannot run, see JvmtiFlag)
        java.util.Set<String> skip = java.util.Set.of(args);
        run(skip, "rendezvous", () -> rendezvous(4, HANDOFFS / 4));
        run(skip, "yield-storm", () -> yieldStorm(200, 1_000));
        run(skip, "timed-parks-and-sleeps", () -> timedParksAndSleeps(300, 4));
        run(skip, "contended-monitor", () -> contendedMonitor(100, 2_000));
        run(skip, "wait-notify", () -> waitNotify(4, 5_000));
        run(skip, "timed-waits", () -> timedWaits(200, 20));
        run(skip, "interrupts", () -> interrupts(500));
        run(skip, "pinned-parks", () -> pinnedParks(50, 100));
        run(skip, "mass-unpark-from-platform", () -> massUnpark(5_000));
        System.out.println("COUNTERS " + bootCounter("dev.vtrecycler.bootstrap.VtHooks", "ADVICE_ERRORS", "advice-errors")
                + " " + bootCounter("dev.vtrecycler.bootstrap.wakeup.Wakeups", "WAKEUPS", "wakeups")
                + " " + bootCounter("dev.vtrecycler.bootstrap.wakeup.Wakeups", "FAILURES", "wakeup-failures"));
        System.out.println("DONE");
    }

    private interface Scenario {
        long run() throws Exception;
    }

    private static void run(java.util.Set<String> skip, String name, Scenario scenario) throws Exception {
        if (!skip.contains(name)) {
            result(name, scenario.run());
        }
    }

    private static void result(String name, long value) {
        System.out.println("RESULT " + name + " " + value);
        System.out.flush();
    }

    /** Pairs of virtual threads hand values over a SynchronousQueue: every put waits for its take. */
    static long rendezvous(int pairs, long perPair) throws InterruptedException {
        AtomicLong sum = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            SynchronousQueue<Long> queue = new SynchronousQueue<>();
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (long i = 1; i <= perPair; i++) {
                        queue.put(i);
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            threads.add(Thread.ofVirtual().start(() -> {
                long local = 0;
                try {
                    for (long i = 1; i <= perPair; i++) {
                        local += queue.take();
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                sum.addAndGet(local);
            }));
        }
        joinAll(threads);
        return sum.get(); // pairs * perPair * (perPair + 1) / 2
    }

    static long yieldStorm(int threads, int yields) throws InterruptedException {
        AtomicLong total = new AtomicLong();
        List<Thread> list = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            list.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < yields; i++) {
                    Thread.yield();
                    total.incrementAndGet();
                }
            }));
        }
        joinAll(list);
        return total.get();
    }

    /** Timed parks that time out, timed parks unparked early, and sleeps. */
    static long timedParksAndSleeps(int threads, int rounds) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        List<Thread> list = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            list.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < rounds; i++) {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500));
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    done.incrementAndGet();
                }
            }));
        }
        // early unparks racing with the timeouts: a spurious return is allowed by park's contract
        for (int i = 0; i < 20; i++) {
            list.forEach(LockSupport::unpark);
            Thread.sleep(1);
        }
        joinAll(list);
        return done.get();
    }

    static long contendedMonitor(int threads, int increments) throws InterruptedException {
        Object lock = new Object();
        long[] counter = new long[1];
        List<Thread> list = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            list.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < increments; i++) {
                    synchronized (lock) {
                        counter[0]++;
                        if (i % 64 == 0) {
                            Thread.yield(); // hold the monitor across an unmount: others block on it
                        }
                    }
                }
            }));
        }
        joinAll(list);
        synchronized (lock) {
            return counter[0];
        }
    }

    /** A one-slot buffer with wait/notifyAll: producers and consumers wake each other. */
    static long waitNotify(int pairs, int items) throws InterruptedException {
        Object lock = new Object();
        long[] slot = {0};
        boolean[] full = {false};
        AtomicLong sum = new AtomicLong();
        List<Thread> list = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            list.add(Thread.ofVirtual().start(() -> {
                for (long i = 1; i <= items; i++) {
                    synchronized (lock) {
                        while (full[0]) {
                            waitOn(lock);
                        }
                        slot[0] = i;
                        full[0] = true;
                        lock.notifyAll();
                    }
                }
            }));
            list.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < items; i++) {
                    synchronized (lock) {
                        while (!full[0]) {
                            waitOn(lock);
                        }
                        sum.addAndGet(slot[0]);
                        full[0] = false;
                        lock.notifyAll();
                    }
                }
            }));
        }
        joinAll(list);
        return sum.get();
    }

    /**
     * Timed {@code Object.wait}, timing out and notified: on JDK 25 the timeout and the notify
     * synchronize on {@code runContinuation} ({@code timedWaitLock()}), the reusable task itself.
     */
    static long timedWaits(int threads, int rounds) throws InterruptedException {
        Object lock = new Object();
        AtomicLong done = new AtomicLong();
        List<Thread> list = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            list.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < rounds; i++) {
                    synchronized (lock) {
                        try {
                            lock.wait(1);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    done.incrementAndGet();
                }
            }));
        }
        for (int i = 0; i < 50; i++) {
            synchronized (lock) {
                lock.notifyAll(); // some waits end by notify, racing with their timeouts
            }
            Thread.sleep(1);
        }
        joinAll(list);
        return done.get();
    }

    private static void waitOn(Object lock) {
        try {
            lock.wait();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Threads parked in sleep, in park and in Object.wait, each woken by an interrupt. */
    static long interrupts(int threads) throws InterruptedException {
        AtomicInteger woken = new AtomicInteger();
        CountDownLatch parked = new CountDownLatch(threads);
        List<Thread> list = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int kind = t % 3;
            list.add(Thread.ofVirtual().start(() -> {
                parked.countDown();
                if (kind == 0) {
                    try {
                        Thread.sleep(TimeUnit.HOURS.toMillis(1));
                    } catch (InterruptedException e) {
                        woken.incrementAndGet();
                    }
                } else if (kind == 1) {
                    while (!Thread.currentThread().isInterrupted()) {
                        LockSupport.park();
                    }
                    woken.incrementAndGet();
                } else {
                    Object monitor = new Object();
                    synchronized (monitor) {
                        try {
                            monitor.wait();
                        } catch (InterruptedException e) {
                            woken.incrementAndGet();
                        }
                    }
                }
            }));
        }
        parked.await();
        for (Thread t : list) {
            awaitBlocked(t);
            t.interrupt();
        }
        joinAll(list);
        return woken.get();
    }

    /** Parks while pinned to the carrier (the thread parks the carrier, no task is queued). */
    static long pinnedParks(int threads, int rounds) throws Exception {
        Class<?> continuation = Class.forName("jdk.internal.vm.Continuation");
        Method pin = continuation.getMethod("pin");
        Method unpin = continuation.getMethod("unpin");
        AtomicLong done = new AtomicLong();
        List<Thread> list = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            list.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < rounds; i++) {
                    try {
                        pin.invoke(null);
                        try {
                            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
                        } finally {
                            unpin.invoke(null);
                        }
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                    done.incrementAndGet();
                }
            }));
        }
        joinAll(list);
        return done.get();
    }

    /** Thousands of virtual threads parked at once, then all unparked from a platform thread. */
    static long massUnpark(int threads) throws InterruptedException {
        AtomicInteger released = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(threads);
        List<Thread> list = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            list.add(Thread.ofVirtual().start(() -> {
                started.countDown();
                while (released.get() == 0) {
                    LockSupport.park();
                }
                finished.incrementAndGet();
            }));
        }
        started.await();
        Thread unparker = Thread.ofPlatform().start(() -> {
            released.set(1);
            list.forEach(LockSupport::unpark);
        });
        unparker.join();
        joinAll(list);
        return finished.get();
    }

    private static void awaitBlocked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(t + " never blocked: " + t.getState());
            }
            Thread.sleep(1);
        }
    }

    private static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            if (!t.join(java.time.Duration.ofMinutes(2))) {
                throw new IllegalStateException("hang: " + t + " still " + t.getState());
            }
        }
    }

    /** A bootstrap counter read through the boot loader's copy, or {@code name=absent} without the agent. */
    static String bootCounter(String className, String field, String name) {
        try {
            Object counter = Class.forName(className, true, null).getField(field).get(null);
            return name + "=" + counter.getClass().getMethod("sum").invoke(counter);
        } catch (ClassNotFoundException e) {
            return name + "=absent";
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private WakeupScenariosMain() {}
}
