package dev.vtrecycler.demo.serve;

import dev.vtrecycler.demo.measure.ProcessStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one request handler every server calls ({@link RequestWork}), with the counts that show the
 * work really ran on virtual threads, and the {@code /-/stats} line ({@link ProcessStats}) that
 * {@code service-ab} reads before and after each load step. Stats requests are not counted.
 */
public final class ServedRequests {
    public static final String STATS_PATH = "/-/stats";

    private final RequestWork work;
    private final LongAdder requests = new LongAdder();
    private final LongAdder onVirtualThreads = new LongAdder();

    public ServedRequests(RequestWork work) {
        this.work = work;
    }

    /** Counts the request and does the work; returns the body. */
    public String handle() throws InterruptedException {
        requests.increment();
        if (Thread.currentThread().isVirtual()) {
            onVirtualThreads.increment();
        }
        return work.perform();
    }

    /** The {@code /-/stats} body. */
    public String statsLine() {
        return ProcessStats.now(requests.sum()).format() + "\n";
    }

    public long requests() {
        return requests.sum();
    }

    public long onVirtualThreads() {
        return onVirtualThreads.sum();
    }
}
