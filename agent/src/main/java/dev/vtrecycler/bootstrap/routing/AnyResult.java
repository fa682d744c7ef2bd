package dev.vtrecycler.bootstrap.routing;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Where the tasks of one {@code invokeAny} report: the first result wins, failures are counted, and
 * the waiting caller is unparked on each report so it can decide whether it is done.
 */
final class AnyResult<T> {
    /** Stands for a null result, so that null can mean "no result yet". */
    private static final Object NULL = new Object();

    private final Thread owner;
    private final AtomicReference<Object> result = new AtomicReference<>();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private final AtomicInteger failures = new AtomicInteger();

    AnyResult(Thread owner) {
        this.owner = owner;
    }

    void succeeded(T value) {
        if (result.compareAndSet(null, value == null ? NULL : value)) {
            LockSupport.unpark(owner);
        }
    }

    void failed(Throwable failure) {
        if (result.get() == null) {
            firstFailure.compareAndSet(null, failure);
            failures.incrementAndGet();
            LockSupport.unpark(owner);
        }
    }

    /**
     * Waits until one of {@code tasks} tasks succeeded (its result) or all failed (ExecutionException
     * with the first failure).
     */
    @SuppressWarnings("unchecked")
    T await(int tasks, boolean timed, long deadline) throws InterruptedException, ExecutionException, TimeoutException {
        Object r;
        while ((r = result.get()) == null && failures.get() < tasks) {
            if (timed) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new TimeoutException();
                }
                LockSupport.parkNanos(this, remaining);
            } else {
                LockSupport.park(this);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        if (r != null) {
            return r == NULL ? null : (T) r;
        }
        throw new ExecutionException(firstFailure.get());
    }
}
