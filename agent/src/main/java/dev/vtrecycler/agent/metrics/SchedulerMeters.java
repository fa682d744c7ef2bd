package dev.vtrecycler.agent.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.lang.reflect.Method;

/**
 * The virtual-thread scheduler gauges of {@code jdk.management.VirtualThreadSchedulerMXBean}
 * (JDK 24+), under Micrometer's own names ({@code jvm.threads.virtual.*}), for when JFR meters are
 * off. With {@code jfr=true} Micrometer's {@code VirtualThreadMetrics} registers the same gauges
 * itself, so this binder is not used then. Reflective: the interface does not exist on JDK 21, and
 * mainline has renamed some getters since 25.
 */
final class SchedulerMeters implements MeterBinder {
    private static final String MXBEAN = "jdk.management.VirtualThreadSchedulerMXBean";

    @Override
    public void bindTo(MeterRegistry registry) {
        Class<? extends PlatformManagedObject> type = schedulerType();
        if (type == null) {
            return;
        }
        PlatformManagedObject bean = ManagementFactory.getPlatformMXBean(type);
        gauge(registry, type, bean, "getParallelism", "jvm.threads.virtual.parallelism",
                "Virtual thread scheduler's target parallelism");
        gauge(registry, type, bean, "getPoolSize", "jvm.threads.virtual.pool.size",
                "Current number of platform threads that the scheduler has started but have not terminated");
        gauge(registry, type, bean, "getMountedVirtualThreadCount", "jvm.threads.virtual.mounted",
                "Virtual threads currently mounted on a carrier");
        gauge(registry, type, bean, "getQueuedVirtualThreadCount", "jvm.threads.virtual.queued",
                "Virtual threads queued to the scheduler waiting to run");
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends PlatformManagedObject> schedulerType() {
        try {
            return (Class<? extends PlatformManagedObject>) Class.forName(MXBEAN);
        } catch (ClassNotFoundException e) {
            return null; // JDK 21-23
        }
    }

    private static void gauge(MeterRegistry registry, Class<?> type, PlatformManagedObject bean,
                              String getter, String name, String help) {
        Method method;
        try {
            method = type.getMethod(getter); // the exported interface's method, not the impl's
        } catch (ReflectiveOperationException | RuntimeException e) {
            return; // renamed or absent on this JDK
        }
        Gauge.builder(name, bean, b -> read(method, b)).description(help).register(registry);
    }

    private static double read(Method method, Object bean) {
        try {
            return ((Number) method.invoke(bean)).doubleValue();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
