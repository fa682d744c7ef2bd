package dev.vtrecycler.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The shape detection on the running JDK and on classes shaped like other JDKs' VirtualThread. */
class WakeupShapeTest {

    static Stream<Arguments> shapes() throws ClassNotFoundException {
        return Stream.of(
                // JDK 25: lazySubmit/externalSubmit/externalSubmitRunContinuationOrThrow
                Arguments.of(Class.forName("java.lang.VirtualThread"), true, 3, 0),
                Arguments.of(Jdk21Shape.class, true, 2, 1),
                Arguments.of(NoFieldShape.class, false, 0, 1),
                Arguments.of(FieldOfOtherType.class, false, 0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void findsTheFieldAndTheAdaptCallsOnIt(Class<?> type, boolean supported, int adaptSites, int otherAdaptCalls)
            throws Exception {
        WakeupShape shape = WakeupShape.of(type);
        assertThat(shape.supported()).isEqualTo(supported);
        assertThat(shape.adaptSites()).isEqualTo(adaptSites);
        assertThat(shape.otherAdaptCalls()).isEqualTo(otherAdaptCalls);
    }

    /** JDK 21.0.x: {@code lazySubmitRunContinuation(pool)} and {@code externalSubmitRunContinuation(pool)}. */
    @SuppressWarnings("unused")
    static final class Jdk21Shape {
        private final Runnable runContinuation = this::runContinuation;

        private void runContinuation() { }

        private void lazySubmitRunContinuation(ForkJoinPool pool) {
            pool.lazySubmit(ForkJoinTask.adapt(runContinuation));
        }

        private void externalSubmitRunContinuation(ForkJoinPool pool) {
            pool.externalSubmit(ForkJoinTask.adapt(runContinuation));
        }

        private void unrelated(ForkJoinPool pool, Runnable other) {
            pool.execute(ForkJoinTask.adapt(other));
        }
    }

    @SuppressWarnings("unused")
    static final class NoFieldShape {
        private void submit(ForkJoinPool pool, Runnable task) {
            pool.execute(ForkJoinTask.adapt(task));
        }
    }

    @SuppressWarnings("unused")
    static final class FieldOfOtherType {
        private final Object runContinuation = new Object();
    }
}
