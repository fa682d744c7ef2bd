package dev.vtrecycler.bootstrap.routing;

import dev.vtrecycler.bootstrap.context.ApmAgents;
import dev.vtrecycler.bootstrap.recycler.Recycler;

import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * The static entry points that rewritten application call sites and the advice on
 * {@code java.util.concurrent.Executors} call.
 *
 * <p>Each call-site method replaces an instruction pair whose {@code Thread} result nobody keeps, so
 * it returns void. It hands the task to the recycler only when a recycler is installed and the
 * builder/factory is the JDK's own virtual one; then the task gets the name, uncaught-exception handler
 * and inheritable-thread-local choice the JDK would have given its new thread, and the builder's or
 * factory's counter moves exactly as it would have. Otherwise it performs the original calls, so
 * with no recycler (mode observe/off), another builder, or a route the governor sent back to fresh
 * threads ({@link RouteSwitch}) nothing changes. Argument checks happen in
 * the same order as in the JDK, so a null task throws the same exception before any name is drawn.
 */
public final class Routes {
    private Routes() {}

    /** Replaces {@code Thread.startVirtualThread(task); pop}. */
    public static void startVirtualThread(Runnable task) {
        Recycler recycler = Recycler.get();
        if (recycler == null || !JdkVirtualThreads.AVAILABLE) {
            Thread.startVirtualThread(task);
            return;
        }
        if (!RouteSwitch.recycles(RouteSwitch.START)) {
            Thread.startVirtualThread(task);
            return;
        }
        routeStartVirtualThread(recycler, task);
    }

    /** What {@code Thread.startVirtualThread(task)} does, on the recycler. Also for {@link ReflectiveRoutes}. */
    static void routeStartVirtualThread(Recycler recycler, Runnable task) {
        Objects.requireNonNull(task);
        // startVirtualThread creates an unnamed thread with default characteristics (inherits).
        recycler.execute(task, "", null, true);
        RoutingStats.startRouted();
    }

    /** Replaces {@code builder.start(task); pop} for a {@code Thread.Builder} or {@code Thread.Builder.OfVirtual}. */
    public static void start(Thread.Builder builder, Runnable task) {
        Recycler recycler = Recycler.get();
        if (recycler == null || !JdkVirtualThreads.isJdkVirtualBuilder(builder)
                || !RouteSwitch.recycles(RouteSwitch.START)) {
            builder.start(task);
            return;
        }
        startFromBuilder(recycler, builder, task);
    }

    /** Replaces {@code builder.unstarted(task).start()}. */
    public static void unstartedAndStart(Thread.Builder builder, Runnable task) {
        Recycler recycler = Recycler.get();
        if (recycler == null || !JdkVirtualThreads.isJdkVirtualBuilder(builder)
                || !RouteSwitch.recycles(RouteSwitch.START)) {
            builder.unstarted(task).start();
            return;
        }
        startFromBuilder(recycler, builder, task);
    }

    /** Replaces {@code factory.newThread(task).start()}. */
    public static void newThreadAndStart(ThreadFactory factory, Runnable task) {
        Recycler recycler = Recycler.get();
        if (recycler == null || !JdkVirtualThreads.isJdkVirtualFactory(factory)
                || !RouteSwitch.recycles(RouteSwitch.START)) {
            factory.newThread(task).start();
            return;
        }
        Objects.requireNonNull(task);
        String name = JdkVirtualThreads.factoryNextName(factory);
        recycler.execute(task, name, JdkVirtualThreads.factoryHandler(factory), JdkVirtualThreads.factoryInherits(factory));
        RoutingStats.startRouted();
    }

    /** What {@code builder.start(task)} does for a JDK virtual builder, on the recycler. Also for {@link ReflectiveRoutes}. */
    static void startFromBuilder(Recycler recycler, Thread.Builder builder, Runnable task) {
        Objects.requireNonNull(task);
        String name = JdkVirtualThreads.builderNextName(builder);
        recycler.execute(task, name, JdkVirtualThreads.builderHandler(builder), JdkVirtualThreads.builderInherits(builder));
        RoutingStats.startRouted();
    }

    /**
     * Called on entry to {@code Executors.newThreadPerTaskExecutor(factory)}: a recycling executor
     * when {@code factory} is the JDK's virtual factory and a recycler is installed, else null (the
     * JDK method then runs unchanged).
     */
    public static ExecutorService executorFor(ThreadFactory factory) {
        Recycler recycler = Recycler.get();
        if (recycler == null || !JdkVirtualThreads.isJdkVirtualFactory(factory) || calledFromJdk()) {
            return null;
        }
        RecyclingExecutor executor = new RecyclingExecutor(recycler, factory);
        RoutingStats.executorCreated();
        return ApmAgents.exposeToAgents(executor); // as is, unless an APM agent needs the JDK's wrapper
    }

    /**
     * True when the executor is being created by the JDK itself (a class of the boot or platform
     * loader), e.g. {@code sun.nio.ch.Poller}'s sub-poller executor: the JDK's own threads keep
     * the JDK's executor. Reflection frames are skipped by the walker, so a framework that calls
     * {@code Executors} reflectively (Jetty) is still seen as the caller. Runs once per executor
     * created, never per task.
     */
    private static boolean calledFromJdk() {
        Class<?> caller = CALLER_WALKER.walk(frames -> frames
                .map(StackWalker.StackFrame::getDeclaringClass)
                .filter(c -> c != Routes.class && c != java.util.concurrent.Executors.class)
                .findFirst()
                .orElse(null));
        if (caller == null) {
            return false;
        }
        ClassLoader loader = caller.getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }

    private static final StackWalker CALLER_WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** Called on entry to {@code Executors.newVirtualThreadPerTaskExecutor()}; null keeps the JDK's. */
    public static ExecutorService virtualExecutor() {
        if (Recycler.get() == null || !JdkVirtualThreads.AVAILABLE) {
            return null;
        }
        return executorFor(Thread.ofVirtual().factory()); // what the JDK method builds
    }
}
