package dev.vtrecycler.it.frameworks;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the servers' handlers saw: requests, how many ran on virtual threads, and (when tracking is
 * on) how many distinct {@code Thread} objects ran them. Fewer distinct threads than requests on a
 * thread-per-request server is thread reuse. Tracking takes a lock per request, so the throughput
 * comparison runs without it.
 */
final class Handled {
    private static final LongAdder REQUESTS = new LongAdder();
    private static final LongAdder ON_VIRTUAL = new LongAdder();
    /** Weak: a distinct-thread count must not keep thousands of finished threads alive. */
    private static final Set<Thread> THREADS = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private static final LongAdder DISTINCT = new LongAdder();
    static volatile boolean tracking;

    private Handled() {}

    static void record() {
        REQUESTS.increment();
        Thread current = Thread.currentThread();
        if (current.isVirtual()) {
            ON_VIRTUAL.increment();
        }
        if (tracking && THREADS.add(current)) {
            DISTINCT.increment();
        }
    }

    static String summary() {
        return "requests=" + REQUESTS.sum() + " virtual=" + ON_VIRTUAL.sum() + " distinctThreads=" + DISTINCT.sum();
    }
}
