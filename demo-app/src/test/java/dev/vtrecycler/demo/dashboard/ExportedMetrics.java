package dev.vtrecycler.demo.dashboard;

import java.util.Map;
import java.util.Set;

/**
 * The series the agent exports, with their label names: the only ones the dashboard may query.
 * Copied from the project's metric list (coord/METRICS.md, "Every metric the agent exports"); keep
 * the two in step. Histogram and timer families are listed by the series names PromQL sees
 * ({@code _bucket}, {@code _count}, {@code _sum}, {@code _max}). Prometheus adds {@code job} and
 * {@code instance} to every series on scrape.
 */
public final class ExportedMetrics {

    public static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    private static final Set<String> NONE = Set.of();

    /** Series name to the label names it carries (besides job and instance). */
    public static final Map<String, Set<String>> SERIES = Map.ofEntries(
            // Agent / observation
            Map.entry("vtrecycler_virtual_threads_created_total", NONE),
            Map.entry("vtrecycler_virtual_threads_terminated_total", NONE),
            Map.entry("vtrecycler_virtual_threads_live", NONE),
            Map.entry("vtrecycler_virtual_thread_duration_seconds_bucket", Set.of("le")),
            Map.entry("vtrecycler_virtual_thread_duration_seconds_count", NONE),
            Map.entry("vtrecycler_virtual_thread_duration_seconds_sum", NONE),
            Map.entry("vtrecycler_advice_errors_total", NONE),
            Map.entry("vtrecycler_info", Set.of("version", "mode", "wakeups", "timers", "jdk", "vthread_jvmti_transitions")),
            // Wake-ups (mode=recycle, wakeups=reuse; 0 otherwise)
            Map.entry("vtrecycler_wakeups_total", NONE),
            Map.entry("vtrecycler_wakeup_failures_total", NONE),
            // Timed parks (mode=recycle or schedule, timers=reuse; 0 otherwise)
            Map.entry("vtrecycler_timed_parks_total", Set.of("timer")),
            // Recycler (mode=recycle)
            Map.entry("vtrecycler_tasks_total", Set.of("source")),
            Map.entry("vtrecycler_spills_total", NONE),
            Map.entry("vtrecycler_spilled_threads_total", NONE),
            Map.entry("vtrecycler_refills_total", NONE),
            Map.entry("vtrecycler_refilled_threads_total", NONE),
            Map.entry("vtrecycler_rejections_total", Set.of("reason")),
            Map.entry("vtrecycler_foreign_interrupts_total", NONE),
            Map.entry("vtrecycler_new_stack_chunks_total", NONE),
            // Recycling fallback (mode=recycle; fallback=auto decides, fallback=off reads 1 and NaN)
            Map.entry("vtrecycler_route_recycling", Set.of("route")),
            Map.entry("vtrecycler_route_cost_ratio", Set.of("route")),
            Map.entry("vtrecycler_route_speed_ratio", Set.of("route")),
            Map.entry("vtrecycler_route_bytes_ratio", Set.of("route")),
            Map.entry("vtrecycler_route_switches_total", Set.of("route")),
            Map.entry("vtrecycler_route_probes_total", Set.of("route")),
            Map.entry("vtrecycler_route_tasks_total", Set.of("route", "path")),
            Map.entry("vtrecycler_pooled_threads", Set.of("scope")),
            Map.entry("vtrecycler_pooled_stack_bytes", Set.of("scope")),
            Map.entry("vtrecycler_stack_limit_bytes", NONE),
            // Routing (mode=recycle)
            Map.entry("vtrecycler_routed_call_sites", Set.of("kind")),
            Map.entry("vtrecycler_executors_total", Set.of("kind")),
            Map.entry("vtrecycler_apm_agent_info", Set.of("agent", "trace_context")),
            // JVM: Micrometer's binders
            Map.entry("jvm_memory_used_bytes", Set.of("area", "id")),
            Map.entry("jvm_memory_committed_bytes", Set.of("area", "id")),
            Map.entry("jvm_memory_max_bytes", Set.of("area", "id")),
            Map.entry("jvm_gc_pause_seconds_count", Set.of("action", "cause", "gc")),
            Map.entry("jvm_gc_pause_seconds_sum", Set.of("action", "cause", "gc")),
            Map.entry("jvm_gc_pause_seconds_max", Set.of("action", "cause", "gc")),
            Map.entry("jvm_gc_memory_allocated_bytes_total", NONE),
            Map.entry("jvm_gc_memory_promoted_bytes_total", NONE),
            Map.entry("jvm_gc_live_data_size_bytes", NONE),
            Map.entry("jvm_gc_max_data_size_bytes", NONE),
            Map.entry("jvm_threads_live_threads", NONE),
            Map.entry("jvm_threads_daemon_threads", NONE),
            Map.entry("jvm_threads_peak_threads", NONE),
            Map.entry("jvm_threads_states_threads", Set.of("state")),
            Map.entry("jvm_classes_loaded_classes", NONE),
            Map.entry("jvm_classes_unloaded_classes_total", NONE),
            Map.entry("process_cpu_usage", NONE),
            Map.entry("system_cpu_usage", NONE),
            Map.entry("system_cpu_count", NONE),
            Map.entry("process_uptime_seconds", NONE),
            // Scheduler gauges, on every JDK (the MXBean on 24+, the default scheduler on 21-23).
            // METRICS.md lists jvm_threads_virtual_pool_size / _live; the series Micrometer's
            // VirtualThreadMetrics really exports carry the base unit "threads" (seen in a real
            // scrape of the agent, and notes/observability.md 1.2); the agent uses the same names.
            Map.entry("jvm_threads_virtual_parallelism", NONE),
            Map.entry("jvm_threads_virtual_pool_size_threads", NONE),
            Map.entry("jvm_threads_virtual_live_threads", Set.of("scheduling_status")),
            // jfr=true
            Map.entry("jvm_threads_virtual_pinned_seconds_count", NONE),
            Map.entry("jvm_threads_virtual_pinned_seconds_sum", NONE),
            Map.entry("jvm_threads_virtual_pinned_seconds_max", NONE),
            Map.entry("jvm_threads_virtual_submit_failed_total", NONE),
            // Diagnostics (issue 22): pinning sites (jfr=true), carrier sampling, deadlock check
            Map.entry("vtrecycler_pinned_seconds_count", Set.of("site")),
            Map.entry("vtrecycler_pinned_seconds_sum", Set.of("site")),
            Map.entry("vtrecycler_pinned_seconds_max", Set.of("site")),
            Map.entry("vtrecycler_carrier_samples_total", NONE),
            Map.entry("vtrecycler_carrier_mounted_samples_total", Set.of("carrier")),
            Map.entry("vtrecycler_deadlocked_threads", Set.of("thread")));

    private ExportedMetrics() {}

    /** Counters and the cumulative parts of histograms/summaries: the only series {@code rate} may take. */
    public static boolean isCumulative(String series) {
        return series.endsWith("_total") || series.endsWith("_count") || series.endsWith("_sum")
                || series.endsWith("_bucket");
    }
}
