package dev.vtrecycler.bootstrap.routing;

import dev.vtrecycler.bootstrap.recycler.Recycler;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Spring Framework's {@code SimpleAsyncTaskExecutor} with virtual threads on. Its {@code doExecute(task)}
 * is {@code this.newThread(task).start()}, where {@code newThread} is the executor's own (protected,
 * overridable) method returning {@code threadBuilder.name(nextThreadName()).unstarted(task)} from its
 * {@code VirtualThreadDelegate}: a discarded start of a thread made one call away, which no call-site
 * rewrite can prove unobservable. So advice on {@code doExecute} asks {@link #doExecute} first, and
 * the executor's own body runs whenever the answer is no.
 *
 * <p>Yes only when all of these hold: a recycler is installed; the executor's virtual-thread delegate
 * is set and it tracks no threads ({@code activeThreads} null: no task termination timeout, which
 * makes it keep each thread to wait for and interrupt it in {@code close()}; the advice checks both
 * fields); no subclass overrides {@code newThread(Runnable)} (an override may keep the thread or make
 * another); the delegate's builder is the JDK's own virtual builder. Then the task gets what the
 * original thread would have had: the name from the executor's {@code nextThreadName()} (its counter
 * moves once, as before), and the builder's handler and inheritance.
 */
public final class SpringRoutes {
    private static final String EXECUTOR = "org.springframework.core.task.SimpleAsyncTaskExecutor";

    /** Per executor class: its {@code nextThreadName()} if that class may be routed, else null. */
    private static final ClassValue<Method> NEXT_NAME = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            return nextNameIfRoutable(type);
        }
    };

    /** Per delegate class: its {@code threadBuilder} field, or null if unreadable (e.g. a named module). */
    private static final ClassValue<Field> BUILDER_FIELD = new ClassValue<>() {
        @Override
        protected Field computeValue(Class<?> type) {
            try {
                Field field = type.getDeclaredField("threadBuilder");
                field.setAccessible(true);
                return field;
            } catch (Throwable e) {
                return null;
            }
        }
    };

    private SpringRoutes() {}

    /**
     * Runs {@code task} on the recycler as {@code executor.doExecute(task)} would on a new virtual thread,
     * and returns true; or returns false having done nothing, and the executor's own body runs.
     *
     * @param delegate the executor's {@code virtualThreadDelegate} (non-null: the advice checked it)
     */
    public static boolean doExecute(Object executor, Object delegate, Runnable task) throws Throwable {
        Recycler recycler = Recycler.get();
        if (recycler == null || task == null || delegate == null) {
            return false;
        }
        Method nextName = NEXT_NAME.get(executor.getClass());
        Field builderField = BUILDER_FIELD.get(delegate.getClass());
        if (nextName == null || builderField == null) {
            return false;
        }
        Object builder = builderField.get(delegate);
        if (!JdkVirtualThreads.isJdkVirtualBuilder(builder) || !RouteSwitch.recycles(RouteSwitch.SPRING)) {
            return false; // the executor's own body starts its thread, as without the agent
        }
        String name;
        try {
            name = (String) nextName.invoke(executor);
        } catch (InvocationTargetException e) {
            throw e.getCause(); // as newThread would have thrown it
        }
        recycler.execute(task, name, JdkVirtualThreads.builderHandler(builder), JdkVirtualThreads.builderInherits(builder));
        RoutingStats.startRouted();
        return true;
    }

    private static Method nextNameIfRoutable(Class<?> type) {
        Class<?> c = type;
        while (c != null && !c.getName().equals(EXECUTOR)) {
            try {
                c.getDeclaredMethod("newThread", Runnable.class);
                return null; // overridden below Spring's class: its thread may be kept
            } catch (NoSuchMethodException expected) {
                c = c.getSuperclass();
            }
        }
        if (c == null) {
            return null;
        }
        // Protected, declared in Spring's CustomizableThreadCreator. Reflection, not a method handle: a
        // lookup from the boot loader cannot name a type only the application's loader sees. Invoking
        // it dispatches to any override, as the executor's own call does.
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            try {
                Method m = k.getDeclaredMethod("nextThreadName");
                m.setAccessible(true); // a class path (unnamed module) class: allowed; a named module: refused
                return m.getReturnType() == String.class ? m : null;
            } catch (NoSuchMethodException e) {
                // keep looking up
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
