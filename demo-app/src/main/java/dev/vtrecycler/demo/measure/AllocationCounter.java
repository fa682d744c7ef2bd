package dev.vtrecycler.demo.measure;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated by the whole JVM so far, read from
 * {@link com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes()} (JDK 14+).
 *
 * <p>Why this counter: a virtual thread has no TLAB of its own; it allocates in the TLAB of the
 * carrier (a platform ForkJoinPool worker) it is mounted on, and HotSpot charges the bytes to that
 * carrier. {@code getThreadAllocatedBytes(id)} of a virtual thread returns -1, so summing over
 * threads would miss them; the total sums every live platform thread, carriers included, plus the
 * bytes of threads that already exited, so virtual threads' allocation is in it (checked by
 * {@code AllocationCounterTest}). The GC-based figure ({@code jvm_gc_memory_allocated}) only moves
 * at collections and is too coarse for one operation.
 */
public final class AllocationCounter {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationCounter() {}

    public static long totalAllocatedBytes() {
        return THREADS.getTotalThreadAllocatedBytes();
    }

    /** Fails early with one line instead of reporting zeros. */
    public static void requireSupported() {
        if (!THREADS.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot count allocated bytes per thread");
        }
        if (!THREADS.isThreadAllocatedMemoryEnabled()) {
            THREADS.setThreadAllocatedMemoryEnabled(true);
        }
    }
}
