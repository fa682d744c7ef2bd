package dev.vtrecycler.agent.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.lang.reflect.Method;
import java.util.List;

/**
 * The virtual-thread scheduler gauges of {@code jdk.management.VirtualThreadSchedulerMXBean}
 * (JDK 24+), with the names and units of Micrometer's {@code VirtualThreadMetrics}:
 * {@code jvm_threads_virtual_parallelism}, {@code jvm_threads_virtual_pool_size_threads},
 * {@code jvm_threads_virtual_live_threads{scheduling_status="mounted|queued"}}. Registered here, not
 * by Micrometer's binder, because that binder also starts a JFR stream on a non-daemon thread (see
 * {@link JfrVirtualThreadMeters}). Reflective: the interface does not exist on JDK 21, and mainline
 * has renamed some getters since 25 (a renamed getter just leaves its gauge out).
 */
final class SchedulerMeters implements MeterBinder {
    private static final String MXBEAN = "jdk.management.VirtualThreadSchedulerMXBean";
    private static final String LIVE_HELP = "Approximate current number of virtual threads that are unfinished";

    private record Spec(String getter, String name, String unit, Tags tags, String help) {}

    private static final List<Spec> SPECS = List.of(
            new Spec("getParallelism", "jvm.threads.virtual.parallelism", null, Tags.empty(),
                    "Virtual thread scheduler's target parallelism"),
            new Spec("getPoolSize", "jvm.threads.virtual.pool.size", "threads", Tags.empty(),
                    "Current number of platform threads that the scheduler has started but have not terminated"),
            new Spec("getMountedVirtualThreadCount", "jvm.threads.virtual.live", "threads",
                    Tags.of("scheduling.status", "mounted"), LIVE_HELP),
            new Spec("getQueuedVirtualThreadCount", "jvm.threads.virtual.live", "threads",
                    Tags.of("scheduling.status", "queued"), LIVE_HELP));

    @Override
    public void bindTo(MeterRegistry registry) {
        Class<? extends PlatformManagedObject> type = schedulerType();
        if (type == null) {
            return; // JDK 21-23
        }
        PlatformManagedObject bean = ManagementFactory.getPlatformMXBean(type);
        for (Spec spec : SPECS) {
            Method getter;
            try {
                getter = type.getMethod(spec.getter()); // the exported interface's method, not the impl's
            } catch (NoSuchMethodException e) {
                continue;
            }
            Gauge.builder(spec.name(), bean, b -> read(getter, b))
                    .baseUnit(spec.unit())
                    .tags(spec.tags())
                    .description(spec.help())
                    .register(registry);
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends PlatformManagedObject> schedulerType() {
        try {
            return (Class<? extends PlatformManagedObject>) Class.forName(MXBEAN);
        } catch (ClassNotFoundException e) {
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
