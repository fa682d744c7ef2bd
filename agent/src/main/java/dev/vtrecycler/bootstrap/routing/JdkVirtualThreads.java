package dev.vtrecycler.bootstrap.routing;

import dev.vtrecycler.bootstrap.BootLog;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.concurrent.ThreadFactory;

/**
 * Recognises the JDK's own virtual-thread builder ({@code Thread.ofVirtual()}) and factory
 * ({@code Thread.ofVirtual().factory()}) and reads what a thread they create would get: the name
 * (drawing from their counter exactly as they would), the uncaught-exception handler, and whether it
 * inherits inheritable thread-locals.
 *
 * <p>Only the exact JDK classes with the default scheduler qualify: a subclass, a wrapper, a
 * platform builder or a builder with a custom scheduler (a test hook inside the JDK) keeps its own
 * behaviour. Everything is looked up once. When the layout is not what we expect (another JDK) or
 * {@code java.lang} is not opened to us, {@link #AVAILABLE} is false and every caller keeps the
 * original behaviour.
 *
 * <p>The JDK classes have the same shape from 21 to 25: {@code ThreadBuilders$BaseThreadBuilder} and
 * {@code $BaseThreadFactory} declare package-private {@code nextThreadName()},
 * {@code characteristics()} and {@code uncaughtExceptionHandler()}; the virtual subclasses hold a
 * {@code scheduler} field, null for the default scheduler.
 */
final class JdkVirtualThreads {

    /** What we need from one JDK class. A record, so the JIT trusts its final fields as constants. */
    private record Access(Class<?> type, MethodHandle nextName, MethodHandle characteristics,
                          MethodHandle handler, MethodHandle scheduler) {}

    static final boolean AVAILABLE;
    private static final Access BUILDER;
    private static final Access FACTORY;
    /** {@code Thread.NO_INHERIT_THREAD_LOCALS}, read from the JDK rather than hard-coded. */
    private static final int NO_INHERIT_THREAD_LOCALS;

    static {
        Access builder = null;
        Access factory = null;
        int noInherit = 0;
        boolean available = false;
        try {
            builder = access("java.lang.ThreadBuilders$VirtualThreadBuilder", "java.lang.ThreadBuilders$BaseThreadBuilder");
            factory = access("java.lang.ThreadBuilders$VirtualThreadFactory", "java.lang.ThreadBuilders$BaseThreadFactory");
            Field field = Thread.class.getDeclaredField("NO_INHERIT_THREAD_LOCALS");
            field.setAccessible(true);
            noInherit = field.getInt(null);
            // Self-check against the public API, so a JDK that changed meaning (not just shape) is refused.
            available = builder.type.isInstance(Thread.ofVirtual())
                    && factory.type.isInstance(Thread.ofVirtual().factory())
                    && noInherit != 0;
        } catch (Throwable e) {
            BootLog.warn("routing disabled, JDK thread builders not readable: " + e);
        }
        AVAILABLE = available;
        BUILDER = builder;
        FACTORY = factory;
        NO_INHERIT_THREAD_LOCALS = noInherit;
    }

    private JdkVirtualThreads() {}

    private static Access access(String concreteName, String baseName) throws ReflectiveOperationException {
        Class<?> concrete = Class.forName(concreteName, false, null);
        Class<?> base = Class.forName(baseName, false, null);
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(base, MethodHandles.lookup());
        MethodHandle nextName = lookup.findVirtual(base, "nextThreadName", MethodType.methodType(String.class))
                .asType(MethodType.methodType(String.class, Object.class));
        MethodHandle characteristics = lookup.findVirtual(base, "characteristics", MethodType.methodType(int.class))
                .asType(MethodType.methodType(int.class, Object.class));
        MethodHandle handler = lookup.findVirtual(base, "uncaughtExceptionHandler",
                        MethodType.methodType(Thread.UncaughtExceptionHandler.class))
                .asType(MethodType.methodType(Thread.UncaughtExceptionHandler.class, Object.class));
        Field schedulerField = concrete.getDeclaredField("scheduler");
        MethodHandle scheduler = MethodHandles.privateLookupIn(concrete, MethodHandles.lookup())
                .unreflectGetter(schedulerField)
                .asType(MethodType.methodType(Object.class, Object.class));
        return new Access(concrete, nextName, characteristics, handler, scheduler);
    }

    /** True if {@code builder} is {@code Thread.ofVirtual()} (any settings) on the default scheduler. */
    static boolean isJdkVirtualBuilder(Object builder) {
        return AVAILABLE && builder != null && builder.getClass() == BUILDER.type && defaultScheduler(BUILDER, builder);
    }

    /** True if {@code factory} is {@code Thread.ofVirtual()...factory()} on the default scheduler. */
    static boolean isJdkVirtualFactory(ThreadFactory factory) {
        return AVAILABLE && factory != null && factory.getClass() == FACTORY.type && defaultScheduler(FACTORY, factory);
    }

    private static boolean defaultScheduler(Access access, Object target) {
        try {
            return (Object) access.scheduler.invokeExact(target) == null;
        } catch (Throwable e) {
            return false; // cannot happen for a getter; if it did, not routing is the safe answer
        }
    }

    /** The name the builder's next thread gets; advances the builder's counter as unstarted/start would. */
    static String builderNextName(Object builder) {
        return nextName(BUILDER, builder);
    }

    /** The name the factory's next thread gets; advances the factory's (atomic) counter as newThread would. */
    static String factoryNextName(Object factory) {
        return nextName(FACTORY, factory);
    }

    static Thread.UncaughtExceptionHandler builderHandler(Object builder) {
        return handler(BUILDER, builder);
    }

    static Thread.UncaughtExceptionHandler factoryHandler(Object factory) {
        return handler(FACTORY, factory);
    }

    static boolean builderInherits(Object builder) {
        return inherits(BUILDER, builder);
    }

    static boolean factoryInherits(Object factory) {
        return inherits(FACTORY, factory);
    }

    private static String nextName(Access access, Object target) {
        try {
            return (String) access.nextName.invokeExact(target);
        } catch (Throwable e) {
            throw sneaky(e);
        }
    }

    private static Thread.UncaughtExceptionHandler handler(Access access, Object target) {
        try {
            return (Thread.UncaughtExceptionHandler) access.handler.invokeExact(target);
        } catch (Throwable e) {
            throw sneaky(e);
        }
    }

    private static boolean inherits(Access access, Object target) {
        try {
            return ((int) access.characteristics.invokeExact(target) & NO_INHERIT_THREAD_LOCALS) == 0;
        } catch (Throwable e) {
            throw sneaky(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
        throw (E) e;
    }
}
