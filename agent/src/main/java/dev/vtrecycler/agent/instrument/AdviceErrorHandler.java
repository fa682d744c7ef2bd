package dev.vtrecycler.agent.instrument;

import dev.vtrecycler.bootstrap.VtHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;

/**
 * What every advice of ours does with a Throwable it suppressed: hand it to
 * {@link VtHooks#adviceError(Throwable)}, which counts it ({@code vtrecycler_advice_errors_total}).
 * Shared by every instrumentation so the count covers them all.
 */
public final class AdviceErrorHandler {

    public static Advice.ExceptionHandler counting() {
        try {
            MethodDescription target = new MethodDescription.ForLoadedMethod(
                    VtHooks.class.getMethod("adviceError", Throwable.class));
            return new Advice.ExceptionHandler.Simple(MethodInvocation.invoke(target));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Advice for {@code advice.on(...)} with the counting handler applied. */
    public static Advice to(Class<?> adviceClass) {
        return Advice.to(adviceClass).withExceptionHandler(counting());
    }

    private AdviceErrorHandler() {}
}
