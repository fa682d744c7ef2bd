package dev.vtrecycler.it.governor;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A forked program for {@link RouteGovernorIT}: a platform thread submits small tasks to
 * {@code Executors.newVirtualThreadPerTaskExecutor()} (the executor route) without pause, at most
 * 64 in flight, while stdin commands change the test hook's path costs ({@code COST <spec>} sets
 * {@code vtrecycler.test.route-cost}, which the governor re-reads every epoch). {@code STOP} ends
 * the submissions, closes the executor (which waits for every task) and prints
 * {@code RESULT submitted=N lost=L twice=T}: every task index must have run exactly once.
 */
public final class RouteGovernorMain {
    private static final int CAPACITY = 8_000_000;

    private RouteGovernorMain() {}

    public static void main(String[] args) throws Exception {
        AtomicIntegerArray runs = new AtomicIntegerArray(CAPACITY);
        Semaphore inFlight = new Semaphore(64);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        System.out.println("EXECUTOR " + executor.getClass().getSimpleName());
        int[] submitted = {0};
        volatileStop = false;
        Thread submitter = new Thread(() -> {
            int i = 0;
            while (!volatileStop && i < CAPACITY) {
                inFlight.acquireUninterruptibly();
                int index = i++;
                executor.execute(() -> {
                    try {
                        runs.incrementAndGet(index);
                        work(index);
                    } finally {
                        inFlight.release();
                    }
                });
            }
            submitted[0] = i;
        }, "submitter");
        submitter.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("COST ")) {
                System.setProperty("vtrecycler.test.route-cost", line.substring(5));
                System.out.println("OK");
            } else if (line.equals("STOP")) {
                break;
            }
        }
        volatileStop = true;
        submitter.join();
        executor.close();
        int lost = 0;
        int twice = 0;
        for (int i = 0; i < submitted[0]; i++) {
            int n = runs.get(i);
            if (n == 0) {
                lost++;
            } else if (n > 1) {
                twice++;
            }
        }
        System.out.println("RESULT submitted=" + submitted[0] + " lost=" + lost + " twice=" + twice);
    }

    private static volatile boolean volatileStop;
    private static volatile long sink;

    /** A little CPU per task, so a task is more than a hand-off. */
    private static void work(int seed) {
        long x = seed;
        for (int k = 0; k < 200; k++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        sink = x;
    }
}
