package dev.vtrecycler.agent.recycler;

import dev.vtrecycler.bootstrap.recycler.Recycler;
import dev.vtrecycler.bootstrap.recycler.RecyclerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * The recycler's metrics, exactly as issue 3 names them. Counters are {@link FunctionCounter}s over
 * the recycler's own monotonic counters (no double bookkeeping on the hot path); gauges read the
 * pools when scraped. Prometheus shows them as {@code vtrecycler_tasks_total{source}},
 * {@code vtrecycler_spills_total}, {@code vtrecycler_spilled_threads_total},
 * {@code vtrecycler_refills_total}, {@code vtrecycler_refilled_threads_total},
 * {@code vtrecycler_rejections_total{reason}}, {@code vtrecycler_foreign_interrupts_total},
 * {@code vtrecycler_new_stack_chunks_total},
 * {@code vtrecycler_pooled_threads{scope}},
 * {@code vtrecycler_pooled_stack_bytes{scope}} and {@code vtrecycler_stack_limit_bytes}.
 */
public final class RecyclerMetrics implements MeterBinder {
    private final Recycler recycler;

    public RecyclerMetrics(Recycler recycler) {
        this.recycler = recycler;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        RecyclerStats stats = recycler.stats();

        String tasks = "Tasks run by the recycler, by where their thread came from: "
                + "a carrier's free list, the global list, or a new pooled thread";
        counter(registry, "vtrecycler.tasks", tasks, stats, RecyclerStats::tasksFromLocal, "source", "local");
        counter(registry, "vtrecycler.tasks", tasks, stats, RecyclerStats::tasksFromGlobal, "source", "global");
        counter(registry, "vtrecycler.tasks", tasks, stats, RecyclerStats::tasksFromNew, "source", "new");

        counter(registry, "vtrecycler.spills",
                "Times a carrier's free list reached local-cap and moved threads to the global list",
                stats, RecyclerStats::spills);
        counter(registry, "vtrecycler.spilled.threads",
                "Threads moved from carrier free lists to the global list", stats, RecyclerStats::spilledThreads);
        counter(registry, "vtrecycler.refills",
                "Times an empty carrier free list took threads from the global list", stats, RecyclerStats::refills);
        counter(registry, "vtrecycler.refilled.threads",
                "Threads moved from the global list to carrier free lists", stats, RecyclerStats::refilledThreads);

        String rejections = "Threads that left the pools instead of being reused: stack over the limit, "
                + "global list drained after a GC, idle longer than idle-timeout, task threw, task left a structured "
                + "task scope open";
        counter(registry, "vtrecycler.rejections", rejections, stats, RecyclerStats::rejectedStack, "reason", "stack");
        counter(registry, "vtrecycler.rejections", rejections, stats, RecyclerStats::rejectedGc, "reason", "gc");
        counter(registry, "vtrecycler.rejections", rejections, stats, RecyclerStats::rejectedIdle, "reason", "idle");
        counter(registry, "vtrecycler.rejections", rejections, stats, RecyclerStats::rejectedError, "reason", "error");
        counter(registry, "vtrecycler.rejections", rejections, stats, RecyclerStats::rejectedOpenScope,
                "reason", "open_scope");

        counter(registry, "vtrecycler.foreign.interrupts",
                "Raw Thread.interrupt() calls that reached a pooled virtual thread from outside the recycler's "
                        + "own task handles (shutdownNow, Future.cancel, invokeAny): aimed at a task through a saved "
                        + "Thread, they reach whatever task the thread runs now; dropped while it is idle",
                stats, RecyclerStats::foreignInterrupts);

        counter(registry, "vtrecycler.new.stack.chunks",
                "Tasks after which a pooled thread's continuation had a new stack chunk: the task parked deeper "
                        + "than its chunk had room for, or the GC had promoted the chunk and it can no longer be "
                        + "frozen into (a fresh thread allocates one at its first park; reuse saves it only while "
                        + "the chunk is reusable)",
                stats, RecyclerStats::newStackChunks);

        String pooled = "Idle pooled virtual threads, on carrier free lists (local) or the global list";
        gauge(registry, "vtrecycler.pooled.threads", pooled, null, stats, RecyclerStats::pooledLocal, "scope", "local");
        gauge(registry, "vtrecycler.pooled.threads", pooled, null, stats, RecyclerStats::pooledGlobal, "scope", "global");
        String stack = "Continuation stack retained by idle pooled virtual threads";
        gauge(registry, "vtrecycler.pooled.stack", stack, "bytes", stats, RecyclerStats::pooledStackBytesLocal,
                "scope", "local");
        gauge(registry, "vtrecycler.pooled.stack", stack, "bytes", stats, RecyclerStats::pooledStackBytesGlobal,
                "scope", "global");
        Gauge.builder("vtrecycler.stack.limit", recycler, r -> r.stackLimitBytes())
                .description("Stack gate in force: a finished thread retaining more continuation stack "
                        + "is not pooled (0: gate unavailable on this JDK)")
                .baseUnit("bytes")
                .register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String description, RecyclerStats stats,
                                ToDoubleFunction<RecyclerStats> value, String... tags) {
        FunctionCounter.builder(name, stats, value).description(description).tags(tags).register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, String description, String baseUnit,
                              RecyclerStats stats, ToDoubleFunction<RecyclerStats> value, String... tags) {
        Gauge.Builder<RecyclerStats> builder = Gauge.builder(name, stats, value).description(description).tags(tags);
        if (baseUnit != null) {
            builder.baseUnit(baseUnit);
        }
        builder.register(registry);
    }
}
