package dev.vtrecycler.agent.routing;

import dev.vtrecycler.bootstrap.routing.SpringRoutes;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into Spring's {@code SimpleAsyncTaskExecutor.doExecute(Runnable)} (see
 * {@link SpringRoutes} for when it routes). A true answer skips the executor's body: the task already
 * runs on the recycler. An executor that tracks its threads (a task termination timeout set, so
 * {@code activeThreads} is non-null) or has no virtual-thread delegate is never routed. Any Throwable
 * is suppressed and counted, and the executor's body then runs as without the agent.
 */
final class SpringAsyncAdvice {
    private SpringAsyncAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    static boolean enter(@Advice.This Object executor, @Advice.Argument(0) Runnable task,
                         @Advice.FieldValue("virtualThreadDelegate") Object delegate,
                         @Advice.FieldValue("activeThreads") Object activeThreads) throws Throwable {
        return activeThreads == null && delegate != null && SpringRoutes.doExecute(executor, delegate, task);
    }
}
