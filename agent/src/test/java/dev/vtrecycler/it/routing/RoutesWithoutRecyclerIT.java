package dev.vtrecycler.it.routing;

import dev.vtrecycler.bootstrap.recycler.Recycler;
import dev.vtrecycler.bootstrap.routing.Routes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With no recycler installed (modes observe/off, or before install) every entry point behaves as the
 * call it replaced. In the failsafe JVM, which never installs a recycler (ITs only fork), unlike the
 * surefire JVM where unit tests install one.
 */
class RoutesWithoutRecyclerIT {
    @BeforeAll
    static void noRecycler() {
        assertThat(Recycler.get()).isNull();
    }

    private static Thread ranOn(java.util.function.Consumer<Runnable> start) throws InterruptedException {
        BlockingQueue<Thread> ran = new ArrayBlockingQueue<>(1);
        start.accept(() -> ran.add(Thread.currentThread()));
        Thread t = ran.poll(60, TimeUnit.SECONDS);
        assertThat(t).isNotNull();
        return t;
    }

    @Test
    void callSiteEntryPointsBehaveAsTheOriginalCalls() throws Exception {
        Thread t = ranOn(Routes::startVirtualThread);
        assertThat(t.isVirtual()).isTrue();
        assertThat(t.getName()).isEmpty();

        Thread.Builder.OfVirtual builder = Thread.ofVirtual().name("b-", 0);
        assertThat(ranOn(r -> Routes.start(builder, r)).getName()).isEqualTo("b-0");
        assertThat(ranOn(r -> Routes.unstartedAndStart(builder, r)).getName()).isEqualTo("b-1");
        var factory = Thread.ofVirtual().name("f-", 3).factory();
        assertThat(ranOn(r -> Routes.newThreadAndStart(factory, r)).getName()).isEqualTo("f-3");
        assertThat(ranOn(r -> Routes.start(Thread.ofPlatform().name("p"), r)).isVirtual()).isFalse();

        assertThatThrownBy(() -> Routes.startVirtualThread(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Routes.start(null, () -> { })).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Routes.newThreadAndStart(r -> null, () -> { })).isInstanceOf(NullPointerException.class);
    }

    @Test
    void executorEntryPointsLeaveTheJdkExecutor() {
        assertThat(Routes.executorFor(Thread.ofVirtual().factory())).isNull();
        assertThat(Routes.virtualExecutor()).isNull();
        assertThat(Executors.newVirtualThreadPerTaskExecutor().getClass().getName())
                .isEqualTo("java.util.concurrent.ThreadPerTaskExecutor");
    }
}
