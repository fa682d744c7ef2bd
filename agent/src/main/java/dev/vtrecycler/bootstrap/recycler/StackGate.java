package dev.vtrecycler.bootstrap.recycler;

import dev.vtrecycler.bootstrap.StripedCounter;

/**
 * The stack gate (Go: {@code gfput} frees a stack that is not the standard size): a finished
 * thread whose continuation retains more stack than the limit is not pooled. Also the measure of
 * what an idle pooled thread retains, which the pooled-stack gauges use for threads that never
 * parked.
 */
final class StackGate {
    /** A floor for the auto stack limit: see {@link #resolve}. */
    static final long AUTO_STACK_FLOOR_BYTES = 16 * 1024;

    final boolean enabled;
    private final StripedCounter newStackChunks;
    /** Long.MAX_VALUE (no gate) until {@link #resolve} ran, so the measuring probe is never gated. */
    private volatile long limitBytes;
    /** Retained stack of an idle pooled thread at startup, bytes (0 if unknown). */
    private volatile long idleStackBytes;

    StackGate(boolean enabled, StripedCounter newStackChunks) {
        this.enabled = enabled;
        this.newStackChunks = newStackChunks;
        this.limitBytes = enabled ? Long.MAX_VALUE : 0;
    }

    /** The gate in force, bytes; 0 when the gate is unavailable. */
    long limitBytes() {
        long limit = limitBytes;
        return limit == Long.MAX_VALUE ? 0 : limit;
    }

    long idleStackBytes() {
        return idleStackBytes;
    }

    /**
     * The retained stack the worker will be listed with, or -1 if it must not be pooled.
     * A thread that never parked has no chunk yet but will retain about an idle park's worth.
     */
    long admit(Worker w) {
        long bytes = idleStackBytes;
        if (enabled) {
            long retained = retainedBytes(w);
            if (retained > limitBytes) {
                return -1;
            }
            bytes = Math.max(retained, bytes);
        }
        return bytes;
    }

    /**
     * The worker's retained stack, walked only when its continuation's tail chunk is not the one it
     * had at its last return: a stack that grew has a new tail (a chunk never grows), and the same
     * tail means the same chain ({@link JdkInternals#tailChunk}). The walk read each chunk's header,
     * often cold (a pooled thread's chunk is promoted with the thread): 0.7% of a Jetty server's CPU
     * samples flat out beside a busy neighbour. A thread that never parked has no tail (null), whose
     * chain is empty, so null needs no case of its own. Worker's own thread only. The reference keeps no chunk alive for long:
     * a chunk leaves the continuation's chain only when a thaw empties it, i.e. while a task runs,
     * and the next return replaces the reference; an ended worker drops it.
     */
    private long retainedBytes(Worker w) {
        Object tail = JdkInternals.tailChunk(w.thread);
        if (tail != w.gatedTail) {
            if (w.gatedTail != null) {
                // A freeze since the last return could not use the old tail (no room, or promoted):
                // an allocation this thread's reuse did not save.
                newStackChunks.increment();
            }
            w.gatedTail = tail;
            w.gatedBytes = JdkInternals.retainedStackWords(tail) * JdkInternals.WORD_BYTES;
        }
        return w.gatedBytes;
    }

    /**
     * {@code auto} (configured {@code <= 0}) is twice the continuation stack an idle pooled thread
     * retains, measured once at install on a real worker parked in its loop ({@link Recycler}): Go 1.19's "at most 2x wasted
     * space". Floor 16 KiB (2048 words): an idle park retains about 300 words once compiled by C2
     * but up to ~1,150 while interpreted or C1-compiled (Quarkus measured those chunk sizes), and a
     * task that parked a few library frames deep (an HTTP client read, a j.u.c lock) retains a few
     * KiB more; below 16 KiB the gate would reject ordinary tasks during warm-up, while what it must
     * reject (a thread that once parked hundreds of frames deep keeps a 100+ KiB chunk) is far above.
     */
    void resolve(long measuredIdleBytes, long configured) {
        this.idleStackBytes = measuredIdleBytes;
        this.limitBytes = configured > 0 ? configured : Math.max(2 * measuredIdleBytes, AUTO_STACK_FLOOR_BYTES);
    }
}
