package dev.vtrecycler.demo.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * CPU time spent on the virtual-thread scheduler's carriers, as JMH secondary results: a measure of
 * the churn that other processes on a shared machine disturb far less than wall time (time a
 * carrier waits for a core is not counted). {@code carrierCpuNanos / virtualThreads} is CPU ns per
 * thread. Carriers are found by class ({@code jdk.internal.misc.CarrierThread}), once per iteration;
 * at parallelism 1 there is one. (Found by the name {@code ForkJoinPool-1-worker-} before, this
 * also counted the workers of whichever other ForkJoinPool was created first, and reported more
 * carrier CPU than wall time.)
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CarrierCpu {
    /** The class of the default scheduler's carriers (JDK 21 and 25); other pools' workers are not counted. */
    private static final String CARRIER_CLASS = "jdk.internal.misc.CarrierThread";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Carrier CPU nanoseconds in this iteration. */
    public long carrierCpuNanos;
    /** Virtual threads the benchmark started in this iteration. */
    public long virtualThreads;

    private long[] carriers = new long[0];

    @Setup(Level.Iteration)
    public void findCarriers() {
        carrierCpuNanos = 0;
        virtualThreads = 0;
        carriers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getClass().getName().equals(CARRIER_CLASS))
                .mapToLong(Thread::threadId)
                .toArray();
    }

    long now() {
        long sum = 0;
        for (long id : carriers) {
            long t = THREADS.getThreadCpuTime(id);
            sum += Math.max(0, t);
        }
        return sum;
    }

    void add(long cpuNanos, int threads) {
        carrierCpuNanos += cpuNanos;
        virtualThreads += threads;
    }
}
