package dev.vtrecycler.agent.instrument;

import dev.vtrecycler.bootstrap.wakeup.Wakeups;
import net.bytebuddy.asm.Advice;

/**
 * Constructor exit of {@code java.lang.VirtualThread}: replaces the freshly stored
 * {@code runContinuation} ({@code this::runContinuation}) by the thread's one reusable task that
 * wraps it. Writing the final field is legal here: the advice is inlined into the constructor.
 * If anything fails the field keeps the JDK's runnable and wake-ups use the JDK's adapters.
 */
final class WakeupAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue(value = WakeupShape.FIELD, readOnly = false) Runnable runContinuation) {
        runContinuation = Wakeups.reusable(runContinuation);
    }

    private WakeupAdvice() {}
}
