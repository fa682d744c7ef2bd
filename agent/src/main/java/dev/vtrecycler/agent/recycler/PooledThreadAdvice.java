package dev.vtrecycler.agent.recycler;

import dev.vtrecycler.bootstrap.recycler.PooledThreads;
import java.time.Duration;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into {@code java.lang.Thread} and {@code java.lang.VirtualThread} (retransformed:
 * nothing added) so that a pooled thread, seen from outside, behaves as if each task had its own
 * thread ({@link PooledThreads}). Each enter advice returns a non-default value only for a pooled
 * thread, and then skips the JDK's body; the exit advice supplies the answer. Everything is
 * suppressed ({@code suppress = Throwable.class}) and counted: a failure runs the JDK's body.
 */
final class PooledThreadAdvice {
    private PooledThreadAdvice() {}

    /** {@code Thread.isAlive()}: false between tasks. */
    static final class IsAlive {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        static boolean enter(@Advice.This Thread thread) {
            return PooledThreads.betweenTasks(thread);
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Enter boolean betweenTasks, @Advice.Return(readOnly = false) boolean alive) {
            if (betweenTasks) {
                alive = false;
            }
        }
    }

    /** {@code Thread.getState()}: TERMINATED between tasks. */
    static final class GetState {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        static Thread.State enter(@Advice.This Thread thread) {
            return PooledThreads.stateBetweenTasks(thread);
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Enter Thread.State answer, @Advice.Return(readOnly = false) Thread.State state) {
            if (answer != null) {
                state = answer;
            }
        }
    }

    /** {@code Thread.join(long)}: waits for the running task, not for the thread. */
    static final class JoinMillis {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        static boolean enter(@Advice.This Thread thread, @Advice.Argument(0) long millis) {
            return PooledThreads.join(thread, millis, 0);
        }
    }

    /** {@code Thread.join(long, int)}. */
    static final class JoinMillisNanos {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        static boolean enter(@Advice.This Thread thread, @Advice.Argument(0) long millis,
                             @Advice.Argument(1) int nanos) {
            return PooledThreads.join(thread, millis, nanos);
        }
    }

    /** {@code Thread.join(Duration)}: true once the running task ended, false on timeout. */
    static final class JoinDuration {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        static int enter(@Advice.This Thread thread, @Advice.Argument(0) Duration duration) {
            return PooledThreads.join(thread, duration);
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Enter int answer, @Advice.Return(readOnly = false) boolean terminated) {
            if (answer != PooledThreads.JOIN_NOT_POOLED) {
                terminated = answer == PooledThreads.JOIN_ENDED;
            }
        }
    }

    /** {@code VirtualThread.interrupt()}: counts raw interrupts of pooled threads; never changes them. */
    static final class Interrupt {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Thread thread) {
            PooledThreads.interrupting(thread);
        }
    }
}
