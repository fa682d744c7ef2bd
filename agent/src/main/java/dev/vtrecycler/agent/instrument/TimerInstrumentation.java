package dev.vtrecycler.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.vtrecycler.bootstrap.wakeup.Timeouts;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * timers=reuse (issue 19, the default): on JDK 25 a timed park is served by one of the thread's
 * two reusable timeout tasks ({@code bootstrap.wakeup.ReusableTimeout}, with its safety argument),
 * moved instead of cancelled, instead of allocating a {@code ScheduledForkJoinTask} and a lambda. Needs the wake-up reuse in force: the per-thread state
 * hangs off the thread's {@code ReusableWakeupTask} ({@code VirtualThread} can get no new field).
 *
 * <p>A retransformation of its own, chained after the wake-up one: {@code afterYield} is rewritten
 * by {@link TimeoutCallRewriter}. Found by shape ({@link TimerShape}); where the shape is not there
 * the JDK's timers are left alone with one {@code [vtrecycler]} line.
 */
public final class TimerInstrumentation {

    /**
     * What is in force, for {@code vtrecycler_info{timers}} and the startup line. {@code shapeMissing}:
     * this JDK has not the code reuse rewrites (JDK 21), said only to a user who asked for reuse.
     */
    public record Result(boolean reused, String notice, boolean shapeMissing) {
        public String label() {
            return reused ? "reuse" : "jdk";
        }
    }

    /** Never throws: any failure leaves the JDK's timers as they are, with one line to say why. */
    public static Result install(Instrumentation inst) {
        try {
            Class<?> virtualThread = Class.forName("java.lang.VirtualThread", false, null);
            TimerShape shape = TimerShape.of(virtualThread);
            if (!shape.supported()) {
                return new Result(false, "timers=reuse not applied: java.lang.VirtualThread." + TimerShape.METHOD
                        + " has no schedule(this::" + TimerShape.TIMEOUT_METHOD + ", ...) on this JDK (found "
                        + shape.lambdaSites() + " timeout lambdas, " + shape.scheduleSites()
                        + " schedule calls); timed parks keep the JDK's timer tasks", true);
            }
            String missing = TimerShape.missingMember(null);
            if (missing != null) {
                return new Result(false, "timers=reuse not applied: this JDK has no " + missing
                        + "; timed parks keep the JDK's timer tasks", true);
            }
            Timeouts.preload();
            String owner = virtualThread.getName().replace('.', '/');
            VirtualThreadRetransformation.apply(inst, virtualThread, (builder, type, loader, module, pd) -> builder
                    .visit(new AsmVisitorWrapper.ForDeclaredMethods().method(
                            named(TimerShape.METHOD).or(named(TimerShape.CANCEL_METHOD)),
                            (instrumentedType, method, mv, context, pool, writerFlags, readerFlags) ->
                                    new TimeoutCallRewriter(mv, owner))));
            String problem = selfCheck();
            if (problem != null) {
                return new Result(false, "timers=reuse not in force (" + problem + "); timed parks keep the JDK's timer tasks", false);
            }
            Timeouts.installed();
            return new Result(true, null, false);
        } catch (Throwable t) {
            return new Result(false, "timers=reuse not applied (" + t + "); timed parks keep the JDK's timer tasks", false);
        }
    }

    /** A timed park on a new virtual thread must now go through the reusable timeout; null when it does. */
    private static String selfCheck() throws InterruptedException {
        long before = Timeouts.REUSED.sum() + Timeouts.ALLOCATED.sum();
        Thread probe = Thread.ofVirtual().start(() -> java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100)));
        probe.join();
        return Timeouts.REUSED.sum() + Timeouts.ALLOCATED.sum() > before ? null
                : "a timed park of a new virtual thread did not reach the reusable timeout";
    }

    private TimerInstrumentation() {}
}
