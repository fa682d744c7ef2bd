package dev.vtrecycler.agent.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.ToDoubleFunction;

/**
 * The virtual-thread scheduler gauges, with the names and units of Micrometer's
 * {@code VirtualThreadMetrics}: {@code jvm_threads_virtual_parallelism},
 * {@code jvm_threads_virtual_pool_size_threads},
 * {@code jvm_threads_virtual_live_threads{scheduling_status="mounted|queued"}}. Registered here, not
 * by Micrometer's binder, because that binder also starts a JFR stream on a non-daemon thread (see
 * {@link JfrVirtualThreadMeters}), and because it has nothing to offer before JDK 24.
 *
 * <p>Two sources, the same names whichever is used:
 * <ul>
 *   <li>{@code jdk.management.VirtualThreadSchedulerMXBean} (JDK 24+), reflectively;</li>
 *   <li>where that bean or one of its getters is missing (JDK 21-23; a getter renamed in a later
 *       JDK), the default scheduler itself: the {@code ForkJoinPool} in {@code VirtualThread}'s static
 *       {@code DEFAULT_SCHEDULER}, read with the access the agent opened on {@code java.lang}, and
 *       read the way the JDK's own bean reads it (parallelism, pool size, active threads for
 *       mounted, queued tasks plus queued submissions for queued).</li>
 * </ul>
 */
final class SchedulerMeters implements MeterBinder {
    private static final String MXBEAN = "jdk.management.VirtualThreadSchedulerMXBean";
    private static final String LIVE_HELP = "Approximate current number of virtual threads that are unfinished";

    /** One gauge: the bean's getter, and the same figure read from the pool when there is no getter. */
    private record Spec(String getter, ToDoubleFunction<ForkJoinPool> fromPool, String name, String unit, Tags tags,
                        String help) {}

    private static final List<Spec> SPECS = List.of(
            new Spec("getParallelism", ForkJoinPool::getParallelism, "jvm.threads.virtual.parallelism", null, Tags.empty(),
                    "Virtual thread scheduler's target parallelism"),
            new Spec("getPoolSize", ForkJoinPool::getPoolSize, "jvm.threads.virtual.pool.size", "threads", Tags.empty(),
                    "Current number of platform threads that the scheduler has started but have not terminated"),
            new Spec("getMountedVirtualThreadCount", ForkJoinPool::getActiveThreadCount, "jvm.threads.virtual.live", "threads",
                    Tags.of("scheduling.status", "mounted"), LIVE_HELP),
            new Spec("getQueuedVirtualThreadCount", p -> p.getQueuedTaskCount() + p.getQueuedSubmissionCount(),
                    "jvm.threads.virtual.live", "threads", Tags.of("scheduling.status", "queued"), LIVE_HELP));

    @Override
    public void bindTo(MeterRegistry registry) {
        bind(registry, schedulerType());
    }

    /** {@code type}: the bean's interface, or null to read the default scheduler alone (tests). */
    static void bind(MeterRegistry registry, Class<? extends PlatformManagedObject> type) {
        PlatformManagedObject bean = type == null ? null : ManagementFactory.getPlatformMXBean(type);
        ForkJoinPool pool = null;
        for (Spec spec : SPECS) {
            Method getter = bean == null ? null : getter(type, spec.getter());
            Gauge.Builder<?> gauge;
            if (getter != null) {
                gauge = Gauge.builder(spec.name(), bean, b -> read(getter, b));
            } else {
                if (pool == null && (pool = defaultScheduler()) == null) {
                    continue; // neither source: leave the gauge out (e.g. a custom default scheduler)
                }
                gauge = Gauge.builder(spec.name(), pool, spec.fromPool());
            }
            gauge.baseUnit(spec.unit()).tags(spec.tags()).description(spec.help()).register(registry);
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends PlatformManagedObject> schedulerType() {
        try {
            return (Class<? extends PlatformManagedObject>) Class.forName(MXBEAN);
        } catch (ClassNotFoundException e) {
            return null; // JDK 21-23
        }
    }

    /** The exported interface's method, not the implementation's; null when this JDK has no such getter. */
    private static Method getter(Class<?> type, String name) {
        try {
            return type.getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /**
     * {@code VirtualThread.DEFAULT_SCHEDULER} when it is a {@code ForkJoinPool} (JDK 21 to 25 and
     * mainline), else null. Reading the static field initializes {@code VirtualThread} if nothing
     * has yet; the agent has started a virtual thread of its own by then (its self-check), and a
     * {@code ForkJoinPool} starts no thread until it gets a task.
     */
    static ForkJoinPool defaultScheduler() {
        try {
            Field field = Class.forName("java.lang.VirtualThread").getDeclaredField("DEFAULT_SCHEDULER");
            field.setAccessible(true); // java.lang is opened to the agent (ModuleAccess)
            return field.get(null) instanceof ForkJoinPool pool ? pool : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static double read(Method getter, Object bean) {
        try {
            return ((Number) getter.invoke(bean)).doubleValue();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
