package dev.vtrecycler.it.diagnostics;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A program that pins, deadlocks and keeps carriers busy in known ways, on command (stdin), for the
 * diagnostics ITs. Each command answers one line on stdout:
 * <ul>
 *   <li>{@code pin-clinit}, {@code pin-native}: a virtual thread blocks 60 ms in a class initialiser /
 *       under a native frame; answers {@code site <class.method:line>}, the frame that blocks</li>
 *   <li>{@code wait}, {@code sync-sleep}: a virtual thread waits 60 ms in {@code Object.wait} / sleeps
 *       60 ms holding a monitor; answers {@code site ...} where the JDK pins it (before 24), {@code none} where not</li>
 *   <li>{@code deadlock-locks}: two virtual threads, two ReentrantLocks, taken in opposite orders;
 *       {@code deadlock-monitors}: a virtual and a platform thread, two monitors; answer {@code tids a b}</li>
 *   <li>{@code contend}: blocking that resolves (lock held 3 s by one thread while others wait on it,
 *       a monitor likewise, a Condition wait, a timed tryLock); answers {@code done} when all is over</li>
 *   <li>{@code spin N MS}: N virtual threads each spin MS ms; {@code spinning} once all run, {@code done} when they have ended</li>
 *   <li>{@code park N}: N virtual threads that park until {@code unpark}; {@code parked N}</li>
 * </ul>
 */
public final class DiagnosticsMain {
    private static final int PIN_MILLIS = 60;
    private static final List<Thread> parked = new ArrayList<>();
    private static volatile String expectedSite;

    /** Blocks in its initialiser; the Throwable names the line of the sleep (both on one line). */
    static final class SlowInit {
        static {
            try {
                Throwable here = new Throwable(); Thread.sleep(PIN_MILLIS);
                expectedSite = site(here);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        static void touch() {}
    }

    public static void main(String[] args) throws Throwable {
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null; ) {
            String[] cmd = line.trim().split(" ");
            switch (cmd[0]) {
                case "pin-clinit" -> {
                    inVirtualThread(SlowInit::touch);
                    System.out.println("site " + expectedSite);
                }
                case "pin-native" -> {
                    expectedSite = null; // a failing upcall answers "site null"
                    inVirtualThread(() -> {
                        try {
                            NativeUpcall.run(() -> {
                                try {
                                    Throwable here = new Throwable(); Thread.sleep(PIN_MILLIS);
                                    expectedSite = site(here);
                                } catch (InterruptedException e) {
                                    throw new AssertionError(e);
                                }
                            });
                        } catch (Throwable t) {
                            throw new AssertionError(t);
                        }
                    });
                    System.out.println("site " + expectedSite);
                }
                case "wait" -> {
                    inVirtualThread(() -> {
                        Object o = new Object();
                        synchronized (o) {
                            try {
                                Throwable here = new Throwable(); o.wait(PIN_MILLIS);
                                expectedSite = site(here);
                            } catch (InterruptedException e) {
                                throw new AssertionError(e);
                            }
                        }
                    });
                    System.out.println(Runtime.version().feature() >= 24 ? "none" : "site " + expectedSite);
                }
                case "sync-sleep" -> {
                    inVirtualThread(() -> {
                        synchronized (DiagnosticsMain.class) {
                            Throwable here = new Throwable(); sleep(PIN_MILLIS);
                            expectedSite = site(here);
                        }
                    });
                    System.out.println("none");
                }
                case "deadlock-locks" -> System.out.println(deadlockLocks());
                case "deadlock-monitors" -> System.out.println(deadlockMonitors());
                case "contend" -> {
                    contend();
                    System.out.println("done");
                }
                case "spin" -> {
                    spin(Integer.parseInt(cmd[1]), Long.parseLong(cmd[2])); // prints "spinning" once all run
                    System.out.println("done");
                }
                case "park" -> System.out.println("parked " + park(Integer.parseInt(cmd[1])));
                case "unpark" -> {
                    parked.forEach(LockSupport::unpark);
                    parked.clear();
                    System.out.println("done");
                }
                case "exit" -> {
                    System.out.println("bye");
                    System.exit(0);
                }
                default -> System.out.println("unknown " + line);
            }
        }
    }

    static String site(Throwable here) {
        StackTraceElement top = here.getStackTrace()[0];
        return top.getClassName() + "." + top.getMethodName() + ":" + top.getLineNumber();
    }

    private static void inVirtualThread(Runnable task) throws InterruptedException {
        Thread t = Thread.ofVirtual().start(task);
        t.join();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static String deadlockLocks() throws InterruptedException {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CountDownLatch bothHold = new CountDownLatch(2);
        Thread one = Thread.ofVirtual().name("locks-one").start(() -> crossed(a, b, bothHold));
        Thread two = Thread.ofVirtual().name("locks-two").start(() -> crossed(b, a, bothHold));
        awaitState(one, Thread.State.WAITING);
        awaitState(two, Thread.State.WAITING);
        return "tids " + one.threadId() + " " + two.threadId();
    }

    private static void crossed(ReentrantLock first, ReentrantLock second, CountDownLatch bothHold) {
        first.lock();
        bothHold.countDown();
        awaitQuietly(bothHold);
        second.lock(); // never returns: the other thread holds it and waits for ours
    }

    private static final Object MONITOR_A = new Object();
    private static final Object MONITOR_B = new Object();

    private static String deadlockMonitors() throws InterruptedException {
        CountDownLatch bothHold = new CountDownLatch(2);
        Thread virtual = Thread.ofVirtual().name("monitor-virtual").start(() -> {
            synchronized (MONITOR_A) {
                bothHold.countDown();
                awaitQuietly(bothHold);
                synchronized (MONITOR_B) {
                    throw new AssertionError("got both monitors");
                }
            }
        });
        Thread platform = Thread.ofPlatform().daemon().name("monitor-platform").start(() -> {
            synchronized (MONITOR_B) {
                bothHold.countDown();
                awaitQuietly(bothHold);
                synchronized (MONITOR_A) {
                    throw new AssertionError("got both monitors");
                }
            }
        });
        awaitState(virtual, Thread.State.BLOCKED);
        awaitState(platform, Thread.State.BLOCKED);
        return "tids " + virtual.threadId() + " " + platform.threadId();
    }

    /** Threads that wait on locks and monitors for seconds, and a condition and a timed tryLock, then all finish. */
    private static void contend() throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        Object monitor = new Object();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch held = new CountDownLatch(2);
        threads.add(Thread.ofVirtual().name("holder-lock").start(() -> {
            lock.lock();
            try {
                held.countDown();
                sleep(3_000);
            } finally {
                lock.unlock();
            }
        }));
        threads.add(Thread.ofVirtual().name("holder-monitor").start(() -> {
            synchronized (monitor) {
                held.countDown();
                sleep(3_000);
            }
        }));
        held.await();
        for (int i = 0; i < 2; i++) {
            threads.add(Thread.ofVirtual().name("waiter-lock-" + i).start(() -> {
                lock.lock();
                lock.unlock();
            }));
            threads.add(Thread.ofVirtual().name("waiter-monitor-" + i).start(() -> {
                synchronized (monitor) {
                    monitor.notifyAll();
                }
            }));
        }
        threads.add(Thread.ofPlatform().name("waiter-monitor-platform").start(() -> {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }));
        threads.add(Thread.ofVirtual().name("timed-trylock").start(() -> {
            try {
                if (lock.tryLock(2, TimeUnit.SECONDS)) {
                    lock.unlock();
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }));
        ReentrantLock other = new ReentrantLock();
        Condition signal = other.newCondition();
        threads.add(Thread.ofVirtual().name("condition").start(() -> {
            other.lock();
            try {
                signal.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            } finally {
                other.unlock();
            }
        }));
        for (Thread t : threads) {
            t.join();
        }
    }

    private static void spin(int n, long millis) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        CountDownLatch running = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofVirtual().name("spinner-" + i).start(() -> {
                running.countDown();
                long end = System.nanoTime() + millis * 1_000_000;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait(); // never yields: the carrier stays mounted
                }
            }));
        }
        running.await();
        System.out.println("spinning");
        for (Thread t : threads) {
            t.join();
        }
    }

    private static int park(int n) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            parked.add(Thread.ofVirtual().name("parked-" + i).start(() -> {
                started.countDown();
                LockSupport.park();
            }));
        }
        started.await();
        return n;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitState(Thread t, Thread.State state) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (t.getState() != state) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(t + " never reached " + state + ", is " + t.getState());
            }
            Thread.sleep(5);
        }
    }
}
