package dev.vtrecycler.it.wakeup;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fire-and-forget tasks that park at a hand-off, in rounds, so later rounds can run on threads the
 * recycler kept from earlier ones: started from a virtual thread (the carrier's free list,
 * {@code source="local"}) and from the platform main thread (the global list,
 * {@code source="global"}). Every task is woken at least once (its start, and its {@code put},
 * which waits for the driver's {@code take}). Prints {@code RESULT <driver> <sum>}, exact:
 * {@code ROUNDS * TASKS * (TASKS + 1) / 2} each; then waits for a line on stdin so a test can
 * scrape the metrics.
 */
public final class WakeupFallbackMain {
    static final int ROUNDS = 30;
    static final int TASKS = 200;

    public static void main(String[] args) throws Exception {
        AtomicLong fromVirtual = new AtomicLong();
        Thread driver = Thread.ofVirtual().start(() -> fromVirtual.set(rounds()));
        driver.join();
        System.out.println("RESULT virtual-driver " + fromVirtual.get());
        System.out.println("RESULT platform-driver " + rounds());
        System.out.println("COUNTERS " + WakeupScenariosMain.bootCounter("dev.vtrecycler.bootstrap.VtHooks", "ADVICE_ERRORS", "advice-errors")
                + " " + WakeupScenariosMain.bootCounter("dev.vtrecycler.bootstrap.wakeup.Wakeups", "WAKEUPS", "wakeups"));
        System.out.flush();
        new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
    }

    private static long rounds() {
        long sum = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                SynchronousQueue<Integer> handOff = new SynchronousQueue<>();
                for (int i = 1; i <= TASKS; i++) {
                    fire(handOff, i);
                }
                for (int i = 0; i < TASKS; i++) {
                    sum += handOff.take();
                }
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return sum;
    }

    /** A discarded start: the agent rewrites it to run on a recycled thread. */
    private static void fire(SynchronousQueue<Integer> handOff, int value) {
        Thread.startVirtualThread(() -> {
            try {
                handOff.put(value);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private WakeupFallbackMain() {}
}
