package dev.vtrecycler.bootstrap.wakeup;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * The JDK 25 internals the owner's own cancel of its timeout and the pool's {@link RemovalMarker}
 * touch, beyond {@link JdkTimers}: the steps of {@code ScheduledForkJoinTask.cancel(false)}, taken one
 * by one so the owner knows whether a removal was pended. Loaded only after the agent found every
 * member ({@code TimerShape.missingEarlyWakeMember}); where one is missing early-woken timed parks keep
 * allocating, with one line, and this class is never initialized.
 */
final class JdkCancels {
    /** {@code ForkJoinTask.trySetCancelled()}: the status before the OR, negative when already done. */
    static final MethodHandle TRY_SET_CANCELLED;
    /** {@code ForkJoinTask.InterruptibleTask.runner} (volatile): non-null while the action runs. */
    static final VarHandle TASK_RUNNER;
    static final VarHandle TASK_CALLABLE;
    static final VarHandle TASK_NEXT_PENDING;
    /** {@code ForkJoinPool.delayScheduler} (volatile). */
    static final VarHandle POOL_DELAY_SCHEDULER;
    /** {@code DelayScheduler.pend(task)} as {@code (Object, ForkJoinTask)void}. */
    static final MethodHandle PEND;
    /** {@code DelayScheduler.pending} (volatile): the stack of requests {@code pend} pushes with a CAS. */
    static final VarHandle SCHEDULER_PENDING;
    /** {@code DelayScheduler.signal()} as {@code (Object)int}: unparks the scheduler's thread when inactive. */
    static final MethodHandle SIGNAL;
    /** {@code VirtualThread.DEFAULT_SCHEDULER}: the one pool that has a {@link RemovalMarker}. */
    static final ForkJoinPool DEFAULT_SCHEDULER;
    /** {@code ForkJoinTask.DONE}: the bit {@code setDone} ORs in. */
    static final int DONE = 1 << 31;
    /** {@code ForkJoinTask.ABNORMAL | THROWN}: what {@code cancel} reports from. */
    static final int ABNORMAL = 1 << 16;
    static final int THROWN = 1 << 17;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<?> delayScheduler = Class.forName("java.util.concurrent.DelayScheduler", false, null);
            Class<?> interruptible = Class.forName("java.util.concurrent.ForkJoinTask$InterruptibleTask", false, null);
            Class<?> virtualThread = Class.forName("java.lang.VirtualThread", false, null);
            MethodHandles.Lookup inTask = MethodHandles.privateLookupIn(JdkTimers.TASK, lookup);
            TASK_CALLABLE = inTask.findVarHandle(JdkTimers.TASK, "callable", Callable.class);
            TASK_NEXT_PENDING = inTask.findVarHandle(JdkTimers.TASK, "nextPending", JdkTimers.TASK);
            TASK_RUNNER = MethodHandles.privateLookupIn(interruptible, lookup).findVarHandle(interruptible, "runner", Thread.class);
            TRY_SET_CANCELLED = MethodHandles.privateLookupIn(ForkJoinTask.class, lookup)
                    .findVirtual(ForkJoinTask.class, "trySetCancelled", MethodType.methodType(int.class));
            MethodHandles.Lookup inPool = MethodHandles.privateLookupIn(ForkJoinPool.class, lookup);
            POOL_DELAY_SCHEDULER = inPool.findVarHandle(ForkJoinPool.class, "delayScheduler", delayScheduler);
            MethodHandles.Lookup inScheduler = MethodHandles.privateLookupIn(delayScheduler, lookup);
            PEND = inScheduler.findVirtual(delayScheduler, "pend", MethodType.methodType(void.class, JdkTimers.TASK))
                    .asType(MethodType.methodType(void.class, Object.class, ForkJoinTask.class));
            SCHEDULER_PENDING = inScheduler.findVarHandle(delayScheduler, "pending", JdkTimers.TASK);
            SIGNAL = inScheduler.findVirtual(delayScheduler, "signal", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, Object.class));
            DEFAULT_SCHEDULER = (ForkJoinPool) MethodHandles.privateLookupIn(virtualThread, lookup)
                    .findStaticVarHandle(virtualThread, "DEFAULT_SCHEDULER", ForkJoinPool.class).get();
        } catch (Throwable e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * {@code DelayScheduler.pend(t)} without its {@code signal()}: the same CAS pushing {@code t} on
     * {@code pending} (so {@code t} takes its place in that CAS's synchronization order exactly as
     * {@code pend} would), but the scheduler's thread is not unparked: an idle scheduler takes
     * {@code t} at its next turn, which the next signalled pend (anyone's: at the latest the owner's
     * next timed park, whose add is one) or the next deadline starts. A pend coming after this one
     * pushes on top of it, so the batch that takes that pend takes {@code t} too, unless an earlier
     * batch already did. Owner of {@code t} only: nobody else pushes it meanwhile.
     */
    static void pendQuietly(Object ds, ForkJoinTask<?> t) {
        Object f = SCHEDULER_PENDING.getVolatile(ds);
        for (Object w;; f = w) {
            TASK_NEXT_PENDING.set(t, f); // plain, published by the CAS below, as in pend
            if ((w = SCHEDULER_PENDING.compareAndExchange(ds, f, t)) == f) {
                return;
            }
        }
    }

    private JdkCancels() {}
}
