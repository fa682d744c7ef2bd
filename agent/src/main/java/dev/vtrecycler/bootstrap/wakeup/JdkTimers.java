package dev.vtrecycler.bootstrap.wakeup;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The JDK 25 internals a reusable timeout touches, looked up once. Loaded only after the agent found
 * every one of them by shape ({@code dev.vtrecycler.agent.instrument.TimerShape}); on another JDK this
 * class is never initialized. {@code java.lang} and {@code java.util.concurrent} are opened to the
 * bootstrap module by the agent ({@code ModuleAccess}).
 */
final class JdkTimers {
    /** {@code java.util.concurrent.DelayScheduler$ScheduledForkJoinTask}. */
    static final Class<?> TASK;
    /** {@code new ScheduledForkJoinTask(delay, nextDelay, isImmediate, runnable, callable, pool)}. */
    static final MethodHandle NEW_TASK;
    /** {@code pool.scheduleDelayedTask(task)}: pends the task on the pool's delay scheduler. */
    static final MethodHandle SCHEDULE_DELAYED;
    static final VarHandle TASK_POOL;
    static final VarHandle TASK_RUNNABLE;
    static final VarHandle TASK_WHEN;
    /** {@code ForkJoinTask.status} (volatile): completion bits; written directly on re-arm. */
    static final VarHandle TASK_STATUS;
    /** The {@code status} a new task has ({@code NO_USER_HELP} on JDK 25), read off one made here. */
    static final int FRESH_STATUS;
    /** The {@code status} after the scheduler's {@code setDone} of a task that ran normally. */
    static final int COMPLETED_STATUS;
    /** {@code DelayScheduler.nanoTimeOffset}: its clock is this plus {@code System.nanoTime()}. */
    static final long NANO_TIME_OFFSET;
    /** {@code VirtualThread.scheduler} (final). */
    static final VarHandle THREAD_SCHEDULER;
    /** {@code VirtualThread.runContinuation} (final; our {@link ReusableWakeupTask} where installed). */
    static final VarHandle THREAD_RUN_CONTINUATION;
    /** {@code VirtualThread.parkTimeoutExpired()} as {@code (Thread)void}. */
    static final MethodHandle PARK_TIMEOUT_EXPIRED;
    /** {@code VirtualThread.schedule(Runnable, long, TimeUnit)} as {@code (Thread, Runnable, long, TimeUnit)Future}. */
    static final MethodHandle JDK_SCHEDULE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<?> virtualThread = Class.forName("java.lang.VirtualThread", false, null);
            Class<?> delayScheduler = Class.forName("java.util.concurrent.DelayScheduler", false, null);
            TASK = Class.forName("java.util.concurrent.DelayScheduler$ScheduledForkJoinTask", false, null);

            MethodHandles.Lookup inTask = MethodHandles.privateLookupIn(TASK, lookup);
            NEW_TASK = inTask.findConstructor(TASK, MethodType.methodType(void.class, long.class, long.class,
                            boolean.class, Runnable.class, Callable.class, ForkJoinPool.class))
                    .asType(MethodType.methodType(ForkJoinTask.class, long.class, long.class, boolean.class,
                            Runnable.class, Callable.class, ForkJoinPool.class));
            TASK_POOL = inTask.findVarHandle(TASK, "pool", ForkJoinPool.class);
            TASK_RUNNABLE = inTask.findVarHandle(TASK, "runnable", Runnable.class);
            TASK_WHEN = inTask.findVarHandle(TASK, "when", long.class);

            TASK_STATUS = MethodHandles.privateLookupIn(ForkJoinTask.class, lookup)
                    .findVarHandle(ForkJoinTask.class, "status", int.class);
            FRESH_STATUS = (int) TASK_STATUS.getVolatile((ForkJoinTask<?>) NEW_TASK.invokeExact(0L, 0L, true,
                    (Runnable) null, (Callable<?>) null, (ForkJoinPool) null));
            COMPLETED_STATUS = FRESH_STATUS | (1 << 31); // ForkJoinTask.DONE, OR-ed in by setDone

            MethodHandles.Lookup inPool = MethodHandles.privateLookupIn(ForkJoinPool.class, lookup);
            SCHEDULE_DELAYED = inPool.findVirtual(ForkJoinPool.class, "scheduleDelayedTask",
                            MethodType.methodType(TASK, TASK))
                    .asType(MethodType.methodType(ForkJoinTask.class, ForkJoinPool.class, ForkJoinTask.class));

            MethodHandles.Lookup inScheduler = MethodHandles.privateLookupIn(delayScheduler, lookup);
            NANO_TIME_OFFSET = (long) inScheduler.findStaticVarHandle(delayScheduler, "nanoTimeOffset", long.class).get();

            MethodHandles.Lookup inThread = MethodHandles.privateLookupIn(virtualThread, lookup);
            THREAD_SCHEDULER = inThread.findVarHandle(virtualThread, "scheduler", java.util.concurrent.Executor.class);
            THREAD_RUN_CONTINUATION = inThread.findVarHandle(virtualThread, "runContinuation", Runnable.class);
            PARK_TIMEOUT_EXPIRED = inThread.findVirtual(virtualThread, "parkTimeoutExpired", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Thread.class));
            JDK_SCHEDULE = inThread.findVirtual(virtualThread, "schedule",
                            MethodType.methodType(Future.class, Runnable.class, long.class, TimeUnit.class))
                    .asType(MethodType.methodType(Future.class, Thread.class, Runnable.class, long.class, TimeUnit.class));
        } catch (Throwable e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * A one-shot immediate task (run by the delay scheduler's own thread) for {@code action} on
     * {@code pool}, not pended yet: what the JDK's {@code pool.schedule} makes, its {@code when} to be set.
     */
    static ForkJoinTask<?> newTimeoutTask(Runnable action, ForkJoinPool pool) throws Throwable {
        return (ForkJoinTask<?>) NEW_TASK.invokeExact(0L, 0L, true, action, (Callable<?>) null, pool);
    }

    /** The delay scheduler's clock, as {@code DelayScheduler.now()}. */
    static long now() {
        return NANO_TIME_OFFSET + System.nanoTime();
    }

    /** Rethrows anything a method handle threw, unchanged (what the JDK's direct call would have thrown). */
    @SuppressWarnings("unchecked")
    static <T extends Throwable> RuntimeException rethrow(Throwable t) throws T {
        throw (T) t;
    }

    private JdkTimers() {}
}
