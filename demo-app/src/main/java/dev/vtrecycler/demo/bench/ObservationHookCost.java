package dev.vtrecycler.demo.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The observation hooks alone: what the advice calls for one virtual thread (created, started,
 * ended, terminated), called in a loop on a virtual thread, in process CPU time (load from other
 * processes does not count) per thread. Run it in a JVM with the agent, which puts the hooks in the
 * boot loader:
 *
 * <pre>
 * java -Djdk.virtualThreadScheduler.parallelism=1 \
 *      -javaagent:agent/target/vtrecycler-agent.jar=mode=observe,port=none \
 *      -cp demo-app/target/vtrecycler-demo.jar dev.vtrecycler.demo.bench.ObservationHookCost
 * </pre>
 *
 * One thread calls the sequence, so its id decides once whether "its" start is timed: the figure is
 * the untimed path (63 threads in 64). A timed thread adds two {@code System.nanoTime()} reads, also
 * printed, so the average per thread is the first figure plus 2/64 of the second.
 */
public final class ObservationHookCost {
    private static final int CALLS = 20_000_000;
    private static final int ROUNDS = 15;
    private static final int WARMUP_ROUNDS = 5;

    private ObservationHookCost() {}

    public static void main(String[] args) throws Throwable {
        Class<?> hooks = Class.forName("dev.vtrecycler.bootstrap.VtHooks", true, null);
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        MethodHandle created = lookup.findStatic(hooks, "created", MethodType.methodType(void.class));
        MethodHandle started = lookup.findStatic(hooks, "started", MethodType.methodType(long.class));
        MethodHandle ended = lookup.findStatic(hooks, "ended", MethodType.methodType(void.class, long.class));
        MethodHandle terminated = lookup.findStatic(hooks, "terminated", MethodType.methodType(void.class));
        double[] result = new double[2];
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                result[0] = median(() -> {
                    for (int i = 0; i < CALLS; i++) {
                        created.invokeExact();
                        long start = (long) started.invokeExact();
                        ended.invokeExact(start);
                        terminated.invokeExact();
                    }
                });
                long[] sink = new long[1];
                result[1] = median(() -> {
                    long s = 0;
                    for (int i = 0; i < CALLS; i++) {
                        s += System.nanoTime();
                    }
                    sink[0] = s;
                });
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        System.out.printf(Locale.ROOT, "hooks per virtual thread (untimed path): %.1f ns CPU; System.nanoTime(): %.1f ns;"
                + " average per thread with one in 64 timed: %.1f ns%n", result[0], result[1], result[0] + 2 * result[1] / 64);
    }

    interface Loop {
        void run() throws Throwable;
    }

    /** Median over measured rounds of process CPU nanoseconds per call. */
    private static double median(Loop loop) throws Throwable {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Double> perCall = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            long cpu0 = os.getProcessCpuTime();
            loop.run();
            long cpu = os.getProcessCpuTime() - cpu0;
            if (round >= WARMUP_ROUNDS) {
                perCall.add(cpu / (double) CALLS);
            }
        }
        Collections.sort(perCall);
        return perCall.get(perCall.size() / 2);
    }
}
