package dev.vtrecycler.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.bootstrap.wakeup.Wakeups;
import java.lang.reflect.Constructor;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.stream.Stream;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The wake-up shape detection on real JDK class files and on classes shaped like each JDK's
 * {@code VirtualThread} (trimmed to the submit paths, written from the sources: JDK 21u, JDK 25u,
 * JDK mainline of 2026, and the Loom repository's custom-scheduler work). Each case prints the line
 * the agent prints for it.
 */
class WakeupShapeTest {
    private static final String RUNNABLE = "java.lang.Runnable";

    /** The real {@code java.lang.VirtualThread} of each JDK release we know the numbers of. */
    private static final Map<Integer, WakeupShape> REAL = Map.of(
            21, shape(RUNNABLE, 2, 0, 0),   // lazySubmitRunContinuation(pool), externalSubmitRunContinuation(pool)
            25, shape(RUNNABLE, 3, 0, 0));  // + externalSubmitRunContinuationOrThrow()
    /** The methods of the real class that hold those calls: the only ones the substitution visits. */
    private static final Map<Integer, Set<String>> REAL_ADAPTING_METHODS = Map.of(
            21, Set.of("lazySubmitRunContinuation", "externalSubmitRunContinuation"),
            25, Set.of("lazySubmitRunContinuation", "externalSubmitRunContinuation",
                    "externalSubmitRunContinuationOrThrow"));

    /** Each shape, what it must be found to be, and how many of its methods hold an adapt call. */
    static Stream<Arguments> compiledShapes() {
        return Stream.of(
                Arguments.of(Jdk21Shape.class, shape(RUNNABLE, 2, 0, 1), 3),
                Arguments.of(Jdk25Shape.class, shape(RUNNABLE, 3, 0, 0), 3),
                Arguments.of(MainlineShape.class, shape(RUNNABLE, 3, 1, 0), 4),
                Arguments.of(RelayOfOtherTasks.class, shape(RUNNABLE, 0, 0, 1), 1),
                Arguments.of(LoomCustomSchedulerShape.class,
                        shape(LoomCustomSchedulerShape.VThreadTask.class.getName(), 2, 0, 0), 2),
                Arguments.of(NoFieldShape.class, shape(null, 0, 0, 1), 1),
                Arguments.of(FieldOfOtherType.class, shape("java.lang.Object", 0, 0, 0), 0));
    }

    private static WakeupShape shape(String fieldType, int adaptSites, int relayedSites, int otherAdaptCalls) {
        return new WakeupShape(fieldType, adaptSites, relayedSites, otherAdaptCalls, Set.of());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compiledShapes")
    void findsTheFieldAndTheAdaptCallsOnIt(Class<?> type, WakeupShape expected, int adaptingMethods) throws Exception {
        WakeupShape shape = WakeupShape.of(type);
        print(type.getSimpleName(), shape);
        assertThat(shape).usingRecursiveComparison().ignoringFields("adaptingMethods").isEqualTo(expected);
        assertThat(shape.adaptingMethods()).hasSize(adaptingMethods);
    }

    @Test
    void mainlineIsReusedAndSaysNothing() throws Exception {
        assertThat(WakeupShape.of(MainlineShape.class).line()).isNull();
    }

    @Test
    void loomsTaskFieldIsRefusedWithOneLineNamingItsType() throws Exception {
        WakeupShape shape = WakeupShape.of(LoomCustomSchedulerShape.class);
        assertThat(shape.supported()).isFalse();
        assertThat(shape.line()).isEqualTo("wakeups=reuse not applied: java.lang.VirtualThread has no Runnable"
                + " runContinuation field (its runContinuation is a " + LoomCustomSchedulerShape.VThreadTask.class.getName()
                + ", which a reusable task cannot stand in for); wake-ups keep the JDK's task adapters");
    }

    @Test
    void aShapeWithoutTheFieldSaysSo() throws Exception {
        assertThat(WakeupShape.of(NoFieldShape.class).line()).isEqualTo("wakeups=reuse not applied: java.lang.VirtualThread"
                + " has no Runnable runContinuation field on this JDK; wake-ups keep the JDK's task adapters");
        assertThat(WakeupShape.of(RelayOfOtherTasks.class).line()).startsWith("wakeups=reuse: no ForkJoinTask.adapt(");
    }

    /** This JVM's own class: JDK 25 in CI's first pass, JDK 21 in its second (-Dvtrecycler.test.jdk). */
    @Test
    void realVirtualThreadClassFileOfThisJdk() throws Exception {
        int feature = Runtime.version().feature();
        WakeupShape shape = WakeupShape.of(Class.forName("java.lang.VirtualThread"));
        print("JDK " + Runtime.version() + " java.lang.VirtualThread", shape);
        WakeupShape known = REAL.get(feature);
        if (known != null) {
            assertThat(shape).usingRecursiveComparison().ignoringFields("adaptingMethods").isEqualTo(known);
            assertThat(shape.adaptingMethods()).extracting(m -> m.substring(0, m.indexOf('(')))
                    .containsExactlyInAnyOrderElementsOf(REAL_ADAPTING_METHODS.get(feature));
        } else { // a release we have no figures for: the shape must still be one the agent reuses
            assertThat(shape.supported()).as(shape.toString()).isTrue();
            assertThat(shape.adaptSites() + shape.relayedSites()).as(shape.toString()).isPositive();
        }
    }

    /**
     * The relayed site is really reused: the wake-up instrumentation's substitution applied to the
     * mainline shape makes {@code submit(pool, runContinuation)} queue the thread's own task, where
     * the class as compiled queues a new adapter.
     */
    @Test
    void mainlinesRelayedSubmitQueuesTheReusableTaskItself() throws Exception {
        Runnable reusable = Wakeups.reusable(() -> { });
        Class<?> substituted = new ByteBuddy().redefine(MainlineShape.class)
                .visit(WakeupInstrumentation.adaptToReusable()
                        .on(WakeupInstrumentation.substitutedMethods(WakeupShape.of(MainlineShape.class))))
                .make()
                .load(new ClassLoader(getClass().getClassLoader()) { }, ClassLoadingStrategy.Default.CHILD_FIRST)
                .getLoaded();
        ForkJoinPool pool = new ForkJoinPool(1);
        try {
            assertThat(submitThroughRelay(substituted, reusable, pool)).isSameAs(reusable);
            assertThat(submitThroughRelay(MainlineShape.class, reusable, pool)).isNotSameAs(reusable);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Object submitThroughRelay(Class<?> shape, Runnable task, ForkJoinPool pool) throws Exception {
        Constructor<?> constructor = shape.getDeclaredConstructor(Runnable.class, Executor.class);
        constructor.setAccessible(true);
        Object instance = constructor.newInstance(task, pool);
        var submit = shape.getDeclaredMethod("submitRunContinuation", Executor.class, boolean.class);
        submit.setAccessible(true);
        submit.invoke(instance, pool, false);
        var last = shape.getDeclaredField("lastQueued");
        last.setAccessible(true);
        return last.get(instance);
    }

    private static void print(String what, WakeupShape shape) {
        String line = shape.line();
        System.out.println("[wakeup shape] " + what + ": " + shape + " -> "
                + (line == null ? (shape.supported() ? "no line (wakeups=reuse in force)" : "?") : "[vtrecycler] " + line));
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

    /** JDK 25: the scheduler's own submit paths, each on the field. */
    @SuppressWarnings("unused")
    static final class Jdk25Shape {
        private final Runnable runContinuation = this::runContinuation;
        private final Executor scheduler = ForkJoinPool.commonPool();

        private void runContinuation() { }

        private void submitRunContinuation(Executor scheduler) {
            scheduler.execute(runContinuation);
        }

        private void lazySubmitRunContinuation(ForkJoinPool pool) {
            pool.lazySubmit(ForkJoinTask.adapt(runContinuation));
        }

        private void externalSubmitRunContinuation(ForkJoinPool pool) {
            pool.externalSubmit(ForkJoinTask.adapt(runContinuation));
        }

        private void externalSubmitRunContinuationOrThrow(ForkJoinPool pool) {
            if (scheduler == pool) {
                pool.externalSubmit(ForkJoinTask.adapt(runContinuation));
            } else {
                submitRunContinuation(scheduler);
            }
        }
    }

    /**
     * JDK mainline (2026): {@code submitRunContinuation} goes through a private
     * {@code submit(Executor, Runnable)} that adapts its parameter; lazy and external submits
     * still adapt the field.
     */
    @SuppressWarnings("unused")
    static final class MainlineShape {
        private final Runnable runContinuation;
        private final Executor scheduler;
        private Object lastQueued;

        MainlineShape(Runnable runContinuation, Executor scheduler) {
            this.runContinuation = runContinuation;
            this.scheduler = scheduler;
        }

        private void submit(Executor executor, Runnable task) {
            if (executor instanceof ForkJoinPool pool) {
                lastQueued = pool.submit(ForkJoinTask.adapt(task));
            } else {
                executor.execute(task);
            }
        }

        private void submitRunContinuation(Executor scheduler, boolean retryOnOOME) {
            submit(scheduler, runContinuation);
        }

        private void lazySubmitRunContinuation(ForkJoinPool pool) {
            pool.lazySubmit(ForkJoinTask.adapt(runContinuation));
        }

        private void externalSubmitRunContinuation(ForkJoinPool pool) {
            pool.externalSubmit(ForkJoinTask.adapt(runContinuation));
        }

        private void externalSubmitRunContinuationOrThrow(ForkJoinPool pool) {
            if (scheduler == pool) {
                pool.externalSubmit(ForkJoinTask.adapt(runContinuation));
            } else {
                submitRunContinuation(scheduler, false);
            }
        }
    }

    /** A relay method that only ever gets other tasks is not a wake-up site. */
    @SuppressWarnings("unused")
    static final class RelayOfOtherTasks {
        private final Runnable runContinuation = () -> { };

        private void submit(Executor executor, Runnable task) {
            ((ForkJoinPool) executor).submit(ForkJoinTask.adapt(task));
        }

        private void timeout(Executor executor) {
            submit(executor, () -> { });
        }
    }

    /**
     * The Loom repository's custom-scheduler work (2026): {@code runContinuation} is a
     * {@code VThreadTask} (a class of {@code VirtualThread} that runs the continuation and that
     * custom schedulers see), no longer a {@code Runnable}-typed field.
     */
    @SuppressWarnings("unused")
    static final class LoomCustomSchedulerShape {
        static class VThreadTask implements Runnable {
            private final LoomCustomSchedulerShape vthread;

            VThreadTask(LoomCustomSchedulerShape vthread) {
                this.vthread = vthread;
            }

            @Override
            public final void run() {
                vthread.runContinuation();
            }
        }

        private final VThreadTask runContinuation = new VThreadTask(this);

        private void runContinuation() { }

        private void lazySubmitRunContinuation(ForkJoinPool pool) {
            pool.lazySubmit(ForkJoinTask.adapt(runContinuation));
        }

        private void externalSubmitRunContinuation(ForkJoinPool pool) {
            pool.externalSubmit(ForkJoinTask.adapt(runContinuation));
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
