package dev.vtrecycler.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The timer shape on the running JDK 25 and on classes shaped like other JDKs' VirtualThread: the
 * reusable timeout is installed only where {@code afterYield} schedules {@code this::parkTimeoutExpired}.
 */
class TimerShapeTest {

    static Stream<Arguments> shapes() {
        return Stream.of(
                // JDK 25: the timed park's lambda, and schedule() for it and for the timed wait
                Arguments.of(Jdk25Shape.class, 1, 2, true),
                Arguments.of(Jdk21Shape.class, 0, 0, false),
                Arguments.of(OtherLambdaShape.class, 0, 1, false),
                Arguments.of(NoAfterYieldShape.class, 0, 0, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void findsTheTimeoutLambdaAndTheScheduleCalls(Class<?> type, int lambdas, int schedules, boolean supported) throws IOException {
        TimerShape shape = TimerShape.scan(bytes(type), type.getName().replace('.', '/'));
        assertThat(shape.lambdaSites()).isEqualTo(lambdas);
        assertThat(shape.scheduleSites()).isEqualTo(schedules);
        assertThat(shape.supported()).isEqualTo(supported);
    }

    @Test
    void theRunningJdkHasTheShapeAndEveryMemberTheRuntimeReadsOnJdk25Only() throws Exception {
        TimerShape shape = TimerShape.of(Class.forName("java.lang.VirtualThread"));
        if (Runtime.version().feature() < 25) { // JDK 21 (CI's second pass): its unparker, no DelayScheduler
            assertThat(shape.supported()).as(shape.toString()).isFalse();
            assertThat(TimerShape.missingMember(null)).isNotNull();
            return;
        }
        assertThat(shape).isEqualTo(new TimerShape(1, 2));
        assertThat(TimerShape.missingMember(null)).isNull();
    }

    private static byte[] bytes(Class<?> type) throws IOException {
        try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    /** JDK 25's {@code afterYield}, reduced to what the shape looks at. */
    @SuppressWarnings("unused")
    static final class Jdk25Shape {
        private Future<?> timeoutTask;
        private long timeout;

        private void afterYield(boolean parking) {
            if (parking) {
                timeoutTask = schedule(this::parkTimeoutExpired, timeout, TimeUnit.NANOSECONDS);
            } else {
                byte seqNo = 1;
                timeoutTask = schedule(() -> waitTimeoutExpired(seqNo), timeout, TimeUnit.MILLISECONDS);
            }
        }

        private void parkTimeoutExpired() { }

        private void waitTimeoutExpired(byte seqNo) { }

        private Future<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return null;
        }
    }

    /** JDK 21: {@code parkNanos} hands {@code this::unpark} to the shared unparker; afterYield arms nothing. */
    @SuppressWarnings("unused")
    static final class Jdk21Shape {
        private static final ScheduledExecutorService UNPARKER = Executors.newSingleThreadScheduledExecutor();

        private void afterYield() { }

        void parkNanos(long nanos) {
            Future<?> unparker = scheduleUnpark(this::unpark, nanos);
            unparker.cancel(false);
        }

        private Future<?> scheduleUnpark(Runnable unparker, long nanos) {
            return UNPARKER.schedule(unparker, nanos, TimeUnit.NANOSECONDS);
        }

        void unpark() { }
    }

    /** A later JDK whose afterYield schedules another action: not recognized, so left alone. */
    @SuppressWarnings("unused")
    static final class OtherLambdaShape {
        private void afterYield() {
            schedule(this::somethingElse, 1, TimeUnit.NANOSECONDS);
        }

        private void somethingElse() { }

        private Future<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return null;
        }
    }

    @SuppressWarnings("unused")
    static final class NoAfterYieldShape {
        private void parkTimeoutExpired() { }

        private Future<?> schedule(Runnable command, long delay, TimeUnit unit) {
            Runnable r = this::parkTimeoutExpired;
            return null;
        }
    }
}
