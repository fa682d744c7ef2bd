package dev.vtrecycler.agent.instrument;

import dev.vtrecycler.bootstrap.VtHooks;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into {@code java.lang.VirtualThread} (the class is loaded before any agent, so
 * only inlined advice works: retransformation cannot add fields or methods). Each advice only calls
 * {@link VtHooks}, in the boot loader. {@code suppress = Throwable.class} keeps any failure out
 * of the host; the installer attaches an exception handler that counts what was suppressed.
 */
final class VirtualThreadAdvice {

    /** Constructor exit, on the creating thread. */
    static final class Created {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit() {
            VtHooks.created();
        }
    }

    /**
     * {@code run(Runnable)}: on JDK 21.0.4+ and 25 it runs on the virtual thread itself, mounted,
     * around the task. The start time lives in an advice local: nothing is allocated per thread.
     */
    static final class Run {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return VtHooks.started();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long startNanos) {
            VtHooks.ended(startNanos);
        }
    }

    /** {@code afterDone(boolean)} (21.0.4+, 25) or {@code afterTerminate(boolean, boolean)} (21.0.0-21.0.3): on the carrier. */
    static final class Terminated {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Thread thread) {
            VtHooks.terminated(thread);
        }
    }

    private VirtualThreadAdvice() {}
}
