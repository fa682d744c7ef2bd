package dev.vtrecycler.it.diagnostics;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * What the diagnostics cost, run once per agent configuration (docs/observability.md has the
 * commands and the figures):
 * <ul>
 *   <li>{@code churn ROUNDS THREADS}: start and join THREADS short virtual threads (100 at a time), ROUNDS
 *       times; prints the median ns per thread (what carrier sampling, the deadlock check or the JFR
 *       stream could slow down)</li>
 *   <li>{@code pins ROUNDS N}: N virtual threads in turn, each pinned under a native frame for a
 *       100 us park; prints the median ns per pin (what a pinned event with its stack trace costs
 *       below and above pinned-threshold)</li>
 *   <li>{@code idle SECONDS PARKED}: PARKED virtual threads parked, then SECONDS of nothing; prints
 *       the CPU time the agent's own threads used per second (sampler, deadlock check, JFR)</li>
 * </ul>
 */
public final class DiagnosticsCostMain {
    public static void main(String[] args) throws Throwable {
        switch (args[0]) {
            case "churn" -> System.out.println("churn ns/thread median " + median(rounds(Integer.parseInt(args[1]), () -> churn(Integer.parseInt(args[2])))));
            case "pins" -> System.out.println("pins ns/pin median " + median(rounds(Integer.parseInt(args[1]), () -> pins(Integer.parseInt(args[2])))));
            case "idle" -> idle(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    interface Round {
        double run() throws Throwable;
    }

    private static double[] rounds(int rounds, Round round) throws Throwable {
        round.run(); // warm-up
        round.run();
        double[] results = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            results[i] = round.run();
        }
        System.out.println("rounds " + Arrays.toString(Arrays.stream(results).mapToLong(Math::round).toArray()));
        return results;
    }

    private static long median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return Math.round(sorted[sorted.length / 2]);
    }

    private static double churn(int threads) throws InterruptedException {
        long start = System.nanoTime();
        Thread[] batch = new Thread[100];
        for (int done = 0; done < threads; done += batch.length) {
            for (int i = 0; i < batch.length; i++) {
                batch[i] = Thread.ofVirtual().start(() -> Thread.onSpinWait());
            }
            for (Thread t : batch) {
                t.join();
            }
        }
        return (System.nanoTime() - start) / (double) threads;
    }

    private static double pins(int n) throws Throwable {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    NativeUpcall.run(() -> LockSupport.parkNanos(100_000));
                } catch (Throwable e) {
                    throw new AssertionError(e);
                }
            });
            t.join();
        }
        return (System.nanoTime() - start) / (double) n;
    }

    private static void idle(int seconds, int parked) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(parked);
        for (int i = 0; i < parked; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                started.countDown();
                LockSupport.park();
            }));
        }
        started.await();
        Thread.sleep(2_000);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> before = agentCpu(mx);
        Thread.sleep(seconds * 1000L);
        Map<String, Long> after = agentCpu(mx);
        after.forEach((name, cpu) -> System.out.printf("idle %s: %.3f ms CPU per second%n", name,
                (cpu - before.getOrDefault(name, 0L)) / 1e6 / seconds));
        threads.forEach(LockSupport::unpark);
    }

    private static Map<String, Long> agentCpu(ThreadMXBean mx) {
        Map<String, Long> cpu = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("vtrecycler-carrier") || t.getName().startsWith("vtrecycler-deadlock")
                    || t.getName().startsWith("vtrecycler-jfr") || t.getName().startsWith("JFR")) {
                cpu.merge(t.getName(), Math.max(0, mx.getThreadCpuTime(t.threadId())), Long::sum);
            }
        }
        return cpu;
    }
}
