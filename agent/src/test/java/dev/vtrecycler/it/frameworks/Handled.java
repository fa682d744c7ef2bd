package dev.vtrecycler.it.frameworks;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the servers' handlers saw: requests, how many ran on virtual threads, and (when tracking is
 * on) how many distinct {@code Thread} objects ran them. Fewer distinct threads than requests on a
 * thread-per-request server is thread reuse. Tracking costs a map insert per request, so the
 * throughput comparison runs without it.
 */
final class Handled {
    private static final LongAdder REQUESTS = new LongAdder();
    private static final LongAdder ON_VIRTUAL = new LongAdder();
    /**
     * Thread ids, never reused within a JVM, so finished threads are not kept alive. Not a synchronized
     * WeakHashMap: that expunges under its monitor and can block there on the reference queue's monitor,
     * unmounting while it owns the first one, the pattern that deadlocks JDK 24+ with JVMTI transitions
     * off (JvmtiFlag); the harness must not bring that bug in on its own.
     */
    private static final Set<Long> THREADS = ConcurrentHashMap.newKeySet();
    private static final LongAdder DISTINCT = new LongAdder();
    static volatile boolean tracking;

    private Handled() {}

    static void record() {
        REQUESTS.increment();
        Thread current = Thread.currentThread();
        if (current.isVirtual()) {
            ON_VIRTUAL.increment();
        }
        if (tracking && THREADS.add(current.threadId())) {
            DISTINCT.increment();
        }
    }

    static String summary() {
        return "requests=" + REQUESTS.sum() + " virtual=" + ON_VIRTUAL.sum() + " distinctThreads=" + DISTINCT.sum();
    }
}
