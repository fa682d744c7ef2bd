package dev.vtrecycler.bootstrap.routing;

import dev.vtrecycler.bootstrap.recycler.Recycler;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The entry point of rewritten reflective starts: {@code method.invoke(target, args)} whose result
 * is discarded, as libraries that still compile for Java 17 start virtual threads (Tomcat 11's
 * {@code Jre21Compat.threadBuilderStart}: {@code startMethod.invoke(builder, r)}, result popped).
 *
 * <p>The rewritten site still performs its own {@code Method.invoke}: it becomes
 * {@code startOrPass(m, target, args).invoke(target, args)}. So every Method that is not a
 * virtual-thread start, and every call we are not certain about, runs exactly as before, from the
 * same caller class ({@code Method.invoke} is caller-sensitive: access checks and caller-sensitive
 * targets see the application's class, never ours). Only when the call is certain to succeed as a
 * plain start ({@code Thread.Builder.start(Runnable)} on the JDK's own virtual builder, or
 * {@code Thread.startVirtualThread(Runnable)}, one non-null {@code Runnable} argument; a public
 * member of a public JDK interface, so no access check can fail) is the task handed to the recycler
 * here, and the site's invoke then calls {@link #alreadyStarted}, a no-op. What the JDK would
 * have thrown from inside the start is thrown wrapped in {@link InvocationTargetException}, as
 * {@code Method.invoke} does; argument errors never reach us (those calls pass through).
 */
public final class ReflectiveRoutes {
    private static final Method BUILDER_START = method(Thread.Builder.class, "start");
    private static final Method START_VIRTUAL_THREAD = method(Thread.class, "startVirtualThread");
    private static final Method ALREADY_STARTED = method(ReflectiveRoutes.class, "alreadyStarted", Object.class);

    private ReflectiveRoutes() {}

    private static Method method(Class<?> owner, String name) {
        return method(owner, name, Runnable.class);
    }

    private static Method method(Class<?> owner, String name, Class<?> parameter) {
        try {
            return owner.getMethod(name, parameter);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e); // all three are public API since JDK 21
        }
    }

    /**
     * Replaces the Method of a rewritten discarded {@code m.invoke(target, args)}: starts the task on
     * the recycler and returns the no-op {@link #alreadyStarted}, or returns {@code m} unchanged.
     */
    public static Method startOrPass(Method m, Object target, Object[] args) throws InvocationTargetException {
        Recycler recycler = Recycler.get();
        if (recycler == null || m == null || args == null || args.length != 1
                || !(args[0] instanceof Runnable task)) {
            return m;
        }
        boolean builderStart = BUILDER_START.equals(m); // equals: declaring class, name, parameter types
        if (builderStart ? !JdkVirtualThreads.isJdkVirtualBuilder(target)
                : !(START_VIRTUAL_THREAD.equals(m) && JdkVirtualThreads.AVAILABLE)) {
            return m;
        }
        if (!RouteSwitch.recycles(RouteSwitch.REFLECTIVE)) {
            return m; // the governor found fresh threads cheaper here: the site's own invoke starts one
        }
        try {
            if (builderStart) {
                Routes.startFromBuilder(recycler, (Thread.Builder) target, task);
            } else {
                Routes.routeStartVirtualThread(recycler, task); // static: target ignored, as invoke does
            }
        } catch (Throwable e) {
            throw new InvocationTargetException(e); // what Method.invoke makes of anything the start throws
        }
        return ALREADY_STARTED;
    }

    /** The Method a rewritten site invokes once its task was started: takes the task and does nothing. */
    public static void alreadyStarted(Object task) {
        // the task is running on the recycler already
    }
}
