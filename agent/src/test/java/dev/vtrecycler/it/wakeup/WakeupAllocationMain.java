package dev.vtrecycler.it.wakeup;

import java.lang.management.ManagementFactory;
import java.util.concurrent.locks.LockSupport;

/**
 * One virtual thread parked and unparked {@code n} times by a platform thread; prints the bytes the
 * whole JVM allocated per wake-up over the loop ({@code ThreadMXBean}: every thread, carriers
 * included). Before each unpark the virtual thread is fully parked ({@code WAITING}), so every
 * iteration is exactly one wake-up through the scheduler. Warm-up rounds first (JIT).
 *
 * <p>Arguments: wake-ups per round, measured rounds, and {@code hold} to wait for a line on stdin
 * before exiting (so a test can scrape the metrics). Output: {@code ROUND <bytes per wake-up>} per
 * measured round, then the wake-up counter.
 */
public final class WakeupAllocationMain {
    private static volatile int turn;

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        round(n, mx); // warm-up: interpreter and JIT
        round(n, mx);
        for (int r = 0; r < rounds; r++) {
            System.out.printf("ROUND %.3f%n", round(n, mx));
        }
        System.out.println("COUNTERS " + WakeupScenariosMain.bootCounter("dev.vtrecycler.bootstrap.wakeup.Wakeups", "WAKEUPS", "wakeups"));
        System.out.flush();
        if (args.length > 2 && args[2].equals("hold")) {
            new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
        }
    }

    private static double round(int n, com.sun.management.ThreadMXBean mx) throws InterruptedException {
        Thread main = Thread.currentThread();
        turn = 0;
        Thread vt = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < n; i++) {
                while (turn != 1) {
                    LockSupport.park();
                }
                turn = 0;
                LockSupport.unpark(main);
            }
        });
        long before = mx.getTotalThreadAllocatedBytes();
        for (int i = 0; i < n; i++) {
            while (vt.getState() != Thread.State.WAITING) {
                Thread.onSpinWait(); // until it has unmounted: this unpark is a real wake-up
            }
            turn = 1;
            LockSupport.unpark(vt);
            while (turn != 0) {
                LockSupport.park();
            }
        }
        long after = mx.getTotalThreadAllocatedBytes();
        vt.join();
        return (after - before) / (double) n;
    }

    private WakeupAllocationMain() {}
}
