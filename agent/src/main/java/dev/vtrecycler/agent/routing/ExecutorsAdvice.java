package dev.vtrecycler.agent.routing;

import dev.vtrecycler.bootstrap.routing.Routes;
import net.bytebuddy.asm.Advice;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Advice inlined into {@code java.util.concurrent.Executors} (retransformed: no new members). On entry
 * it asks {@link Routes} for a recycling executor; a non-null answer skips the JDK's body and becomes
 * the return value. Null (no recycler, or not the JDK's virtual factory) runs the JDK's body unchanged.
 * Any Throwable in the advice is suppressed, so at worst the JDK's executor is returned.
 */
final class ExecutorsAdvice {
    private ExecutorsAdvice() {}

    /** {@code newThreadPerTaskExecutor(ThreadFactory)}: Jetty, Helidon and Spring reach it, some reflectively. */
    static final class PerTaskExecutor {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        static ExecutorService enter(@Advice.Argument(0) ThreadFactory factory) {
            return Routes.executorFor(factory);
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Enter ExecutorService recycling,
                         @Advice.Return(readOnly = false) ExecutorService returned) {
            if (recycling != null) {
                returned = recycling;
            }
        }
    }

    /**
     * {@code newVirtualThreadPerTaskExecutor()}. The JDK implements it with newThreadPerTaskExecutor,
     * which is advised too; advising it as well keeps it routed should a JDK inline that call.
     */
    static final class VirtualPerTaskExecutor {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        static ExecutorService enter() {
            return Routes.virtualExecutor();
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Enter ExecutorService recycling,
                         @Advice.Return(readOnly = false) ExecutorService returned) {
            if (recycling != null) {
                returned = recycling;
            }
        }
    }
}
