package dev.vtrecycler.it.wakeup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The smallest program that shows the JDK 24+ monitor bug of {@code -XX:-DoJVMTIVirtualThreadTransitions}
 * ({@code JvmtiMonitorBugIT}, docs/jdk-versions.md): virtual threads take turns on one monitor and
 * park briefly while they own it, so the others block on it while its owner is unmounted. Prints
 * {@code OK <count>}, or {@code HANG} and exits with 3 when the threads are not done in time.
 *
 * <p>args: threads, rounds per thread, seconds to wait.
 */
public final class MonitorOwnerUnmountsMain {
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
        Object lock = new Object();
        long[] counter = new long[1];
        List<Thread> list = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            list.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < rounds; i++) {
                    synchronized (lock) {
                        counter[0]++;
                        LockSupport.parkNanos(100_000); // the owner unmounts; the others block on the monitor
                    }
                }
            }));
        }
        for (Thread t : list) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(java.time.Duration.ofNanos(left))) {
                System.out.println("HANG");
                System.out.flush();
                Runtime.getRuntime().halt(3); // the stuck carriers would keep a normal exit waiting
            }
        }
        synchronized (lock) {
            System.out.println("OK " + counter[0]);
        }
    }

    private MonitorOwnerUnmountsMain() {}
}
