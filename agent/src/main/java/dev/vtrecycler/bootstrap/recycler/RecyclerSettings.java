package dev.vtrecycler.bootstrap.recycler;

import java.util.concurrent.TimeUnit;

/**
 * Settings parsed by the agent's config (keys {@code local-cap}, {@code stack-limit},
 * {@code idle-timeout}).
 *
 * @param localCap         a carrier's free list spills when a put leaves it at {@code >= localCap}
 *                         (Go: 64); spill keeps {@code localCap/2 - 1}, refill fills to {@code localCap/2}
 * @param stackLimitBytes  retained continuation stack above which a finished thread is not pooled;
 *                         {@code <= 0} means auto (2x an idle pooled thread's, at least 16 KiB)
 * @param idleTimeoutNanos a pooled thread idle longer than this retires, from any list
 */
public record RecyclerSettings(int localCap, long stackLimitBytes, long idleTimeoutNanos) {
    public static final int DEFAULT_LOCAL_CAP = 64;
    public static final long DEFAULT_IDLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    public RecyclerSettings {
        // 2 is the smallest cap with the Go shape: a put reaching 2 spills while >= 1, keeping 0.
        if (localCap < 2) {
            throw new IllegalArgumentException("local-cap must be >= 2, was " + localCap);
        }
        if (idleTimeoutNanos <= 0) {
            throw new IllegalArgumentException("idle-timeout must be > 0, was " + idleTimeoutNanos + "ns");
        }
    }

    public static RecyclerSettings defaults() {
        return new RecyclerSettings(DEFAULT_LOCAL_CAP, 0, DEFAULT_IDLE_TIMEOUT_NANOS);
    }

    /** Spill moves threads to the global list while the local list holds at least this many. */
    int spillKeepBelow() {
        return localCap / 2;
    }

    /** Refill moves threads from the global list while the local list holds fewer than this. */
    int refillTo() {
        return localCap / 2;
    }
}
