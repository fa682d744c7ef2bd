package dev.vtrecycler.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.hasDescriptor;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.vtrecycler.bootstrap.wakeup.ReusableWakeupTask;
import dev.vtrecycler.bootstrap.wakeup.Wakeups;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.util.concurrent.ForkJoinTask;
import net.bytebuddy.asm.MemberSubstitution;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * mode=recycle, wakeups=reuse: every virtual thread of the JVM gets one reusable scheduler task
 * ({@link ReusableWakeupTask}) instead of a new {@code ForkJoinTask} adapter at every wake-up
 * (issue 9; shared DESIGN §3 has the measurement that motivated it).
 *
 * <p>Two changes to {@code java.lang.VirtualThread}, in a retransformation of its own (separate
 * from the observation hooks, which chain before or after it):
 * <ol>
 *   <li>constructor exit ({@link WakeupAdvice}): {@code runContinuation} becomes the reusable task;</li>
 *   <li>every {@code ForkJoinTask.adapt(Runnable)} call inside the class is replaced by
 *       {@link Wakeups#adapt(Runnable)}, which returns the task itself when it already is one; only
 *       the methods the shape found such calls in are visited.</li>
 * </ol>
 * {@code scheduler.execute(runContinuation)} is left as it is: {@code ForkJoinPool.execute} does not
 * wrap a {@code ForkJoinTask}, and any other executor gets a plain {@code Runnable}.
 *
 * <p>Found by shape ({@link WakeupShape}); where the shape is not there the JDK's path is left
 * alone with one {@code [vtrecycler]} line, and recycling works as before.
 */
public final class WakeupInstrumentation {

    /**
     * What is in force, for {@code vtrecycler_info{wakeups}} and the startup line: {@code reuse}
     * (every wake-up path reuses the thread's task), {@code execute-only} (the reusable task is
     * installed but this JDK's {@code VirtualThread} has no {@code ForkJoinTask.adapt(runContinuation)}
     * call to redirect, so only wake-ups through {@code scheduler.execute} reuse it) or {@code jdk}.
     */
    public record Result(boolean reused, boolean adaptSitesReused, String notice) {
        public String label() {
            return !reused ? "jdk" : adaptSitesReused ? "reuse" : "execute-only";
        }
    }

    /** Never throws: any failure leaves the JDK's wake-ups as they are, with one line to say why. */
    public static Result install(Instrumentation inst) {
        try {
            Class<?> virtualThread = Class.forName("java.lang.VirtualThread", false, null);
            WakeupShape shape = WakeupShape.of(virtualThread);
            if (!shape.supported()) {
                return new Result(false, false, shape.line());
            }
            Wakeups.preload();
            retransform(inst, virtualThread, shape);
            String problem = selfCheck(virtualThread);
            if (problem != null) {
                return new Result(false, false, "wakeups=reuse not in force (" + problem + "); wake-ups keep the JDK's task adapters");
            }
            boolean adaptSites = shape.adaptSites() + shape.relayedSites() > 0;
            String notice = shape.line(); // null when adapt calls were found (the usual case)
            return new Result(true, adaptSites, adaptSites ? null : notice + " (wakeups=execute-only)");
        } catch (Throwable t) {
            return new Result(false, false, "wakeups=reuse not applied (" + t + "); wake-ups keep the JDK's task adapters");
        }
    }

    private static void retransform(Instrumentation inst, Class<?> virtualThread, WakeupShape shape) throws Exception {
        MemberSubstitution adaptToReusable = adaptToReusable();
        ElementMatcher<MethodDescription> substituted = substitutedMethods(shape);
        VirtualThreadRetransformation.apply(inst, virtualThread, (builder, type, loader, module, pd) -> builder
                .visit(AdviceErrorHandler.to(WakeupAdvice.class).on(isConstructor()))
                .visit(adaptToReusable.on(substituted)));
    }

    /** The methods the substitution visits: those the shape found an {@code adapt(Runnable)} call in. */
    static ElementMatcher<MethodDescription> substitutedMethods(WakeupShape shape) {
        ElementMatcher.Junction<MethodDescription> adapting = none();
        for (String method : shape.adaptingMethods()) {
            int descriptorStart = method.indexOf('(');
            adapting = adapting.or(named(method.substring(0, descriptorStart))
                    .and(hasDescriptor(method.substring(descriptorStart))));
        }
        return adapting.and(not(isConstructor()));
    }

    /**
     * Every {@code ForkJoinTask.adapt(Runnable)} call becomes {@link Wakeups#adapt}: the direct
     * {@code adapt(runContinuation)} sites of JDK 21 and 25, and mainline's relayed one (its
     * {@code submit(Executor, Runnable task)} adapts a parameter that is {@code runContinuation}).
     * A call on any other runnable still gets the JDK's adapter from {@link Wakeups#adapt}.
     */
    static MemberSubstitution adaptToReusable() throws NoSuchMethodException {
        return MemberSubstitution.relaxed()
                .method(named("adapt").and(isStatic()).and(isDeclaredBy(ForkJoinTask.class))
                        .and(takesArguments(Runnable.class)))
                .replaceWith(Wakeups.class.getMethod("adapt", Runnable.class));
    }

    /** A virtual thread created now must carry a reusable task; null when it does. */
    private static String selfCheck(Class<?> virtualThread) throws ReflectiveOperationException {
        Thread probe = Thread.ofVirtual().unstarted(() -> { });
        Field field = virtualThread.getDeclaredField(WakeupShape.FIELD);
        field.setAccessible(true);
        Object task = field.get(probe);
        return task instanceof ReusableWakeupTask ? null
                : "a new virtual thread still has " + (task == null ? "null" : task.getClass().getName());
    }

    private WakeupInstrumentation() {}
}
