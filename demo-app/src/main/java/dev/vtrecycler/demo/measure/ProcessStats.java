package dev.vtrecycler.demo.measure;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * A JVM's running totals, as the server reports them on {@code /-/stats}: process CPU time (every
 * thread: handlers, carriers, Jetty's selectors, GC and JIT), bytes allocated ({@link AllocationCounter}),
 * collections and the time the collectors report (for G1: pauses, plus remark/cleanup of concurrent
 * cycles), the JIT compilers' time ({@link CompilerCpu}), and requests handled. Two snapshots around
 * a load step give what the step cost.
 *
 * <p>The JIT's time is there because a server pinned to one CPU pays for every compilation in the
 * figures of the step it falls in: a configuration that compiles more in its first minute
 * (recycling adds a path, and its probes make the fresh one hot later) shows more CPU per request
 * then for that reason alone, and only this column tells that apart from a dearer steady state.
 *
 * <pre>vtrecycler-stats cpu=1234000000 alloc=56700000 gc-count=3 gc-ms=12 jit-ns=40000000 requests=1000</pre>
 */
public record ProcessStats(long cpuNanos, long allocatedBytes, long gcCount, long gcMillis, long jitNanos,
                           long requests) {
    public static final String PREFIX = "vtrecycler-stats";

    public static ProcessStats now(long requests) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new ProcessStats(os.getProcessCpuTime(), AllocationCounter.totalAllocatedBytes(), count, millis,
                CompilerCpu.nanos(), requests);
    }

    /** What happened between {@code earlier} and this snapshot. */
    public ProcessStats minus(ProcessStats earlier) {
        return new ProcessStats(cpuNanos - earlier.cpuNanos, allocatedBytes - earlier.allocatedBytes,
                gcCount - earlier.gcCount, gcMillis - earlier.gcMillis, jitNanos - earlier.jitNanos,
                requests - earlier.requests);
    }

    /** Two stretches' deltas together (the slices of one interleaved step). */
    public ProcessStats plus(ProcessStats other) {
        return new ProcessStats(cpuNanos + other.cpuNanos, allocatedBytes + other.allocatedBytes,
                gcCount + other.gcCount, gcMillis + other.gcMillis, jitNanos + other.jitNanos,
                requests + other.requests);
    }

    public String format() {
        return PREFIX + " cpu=" + cpuNanos + " alloc=" + allocatedBytes + " gc-count=" + gcCount + " gc-ms=" + gcMillis
                + " jit-ns=" + jitNanos + " requests=" + requests;
    }

    /** Parses {@link #format()}'s line; throws IllegalArgumentException on anything else. */
    public static ProcessStats parse(String line) {
        String trimmed = line.strip();
        if (!trimmed.startsWith(PREFIX + " ")) {
            throw new IllegalArgumentException("not a " + PREFIX + " line: '" + line + "'");
        }
        return new ProcessStats(ResultLine.field(trimmed, "cpu"), ResultLine.field(trimmed, "alloc"),
                ResultLine.field(trimmed, "gc-count"), ResultLine.field(trimmed, "gc-ms"), ResultLine.field(trimmed, "jit-ns"),
                ResultLine.field(trimmed, "requests"));
    }
}
