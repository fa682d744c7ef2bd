package dev.vtrecycler.it.frameworks;

import java.util.Map;
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
    /** The client's request id ({@link #REQUEST_ID}) to the client port of the connection that first brought it. */
    private static final Map<String, Integer> FIRST_CONNECTION = new ConcurrentHashMap<>();
    /** A request id handled again on the connection that brought it: a task run twice. */
    private static final LongAdder AGAIN_SAME_CONNECTION = new LongAdder();
    /**
     * A request id handled again on another connection: the client resent it (the JDK's HttpClient
     * resends an idempotent GET on a new connection when a kept-alive one turns out closed before
     * the answer), two requests as far as the server knows.
     */
    private static final LongAdder AGAIN_NEW_CONNECTION = new LongAdder();
    /** The header {@link LoadClient} numbers its requests with. */
    static final String REQUEST_ID = "X-Request-Id";
    static volatile boolean tracking;

    private Handled() {}

    /**
     * One handler call; {@code requestId} ({@link #REQUEST_ID}, null when absent) and the client's
     * {@code remotePort} tell a request handled twice (an agent bug) from one the client resent.
     */
    static void record(String requestId, int remotePort) {
        REQUESTS.increment();
        Thread current = Thread.currentThread();
        if (current.isVirtual()) {
            ON_VIRTUAL.increment();
        }
        if (tracking && THREADS.add(current.threadId())) {
            DISTINCT.increment();
        }
        if (tracking && requestId != null) {
            Integer first = FIRST_CONNECTION.putIfAbsent(requestId, remotePort);
            if (first != null) {
                (first == remotePort ? AGAIN_SAME_CONNECTION : AGAIN_NEW_CONNECTION).increment();
            }
        }
    }

    static String summary() {
        return "requests=" + REQUESTS.sum() + " virtual=" + ON_VIRTUAL.sum() + " distinctThreads=" + DISTINCT.sum()
                + " againSameConnection=" + AGAIN_SAME_CONNECTION.sum() + " againNewConnection=" + AGAIN_NEW_CONNECTION.sum();
    }
}
