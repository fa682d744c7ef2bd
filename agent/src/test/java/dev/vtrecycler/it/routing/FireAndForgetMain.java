package dev.vtrecycler.it.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forked with the agent (mode=recycle): fire-and-forget starts in this class are rewritten at load
 * and run on recycled threads, named as the builder or factory would name them; a kept Thread is
 * untouched. Every task leaves an interrupt and a ThreadLocal behind for the next one to (not) find.
 */
public final class FireAndForgetMain {
    static final int N = 300;
    /** Discarded starts in this class that the agent must rewrite (the {@code fire*} methods). */
    static final int SITES = 6;
    static final ThreadLocal<String> LEFTOVER = new ThreadLocal<>();

    record Ran(Thread thread, String name, boolean virtual, boolean interruptedAtStart, String leftover) {}

    private FireAndForgetMain() {}

    // ------------------------------------------------------------ the call sites (javac: invoke; pop)

    static void fireStartVirtualThread(Runnable task) {
        Thread.startVirtualThread(task);
    }

    static void fireBuilderStart(Thread.Builder.OfVirtual builder, Runnable task) {
        builder.start(task);
    }

    static void fireOneLiner(Runnable task) {
        Thread.ofVirtual().name("w-", 0).start(task);
    }

    static void fireFactoryChain(ThreadFactory factory, Runnable task) {
        factory.newThread(task).start();
    }

    static void fireUnstartedChain(Thread.Builder builder, Runnable task) {
        builder.unstarted(task).start();
    }

    static void fireWithHandler(Thread.UncaughtExceptionHandler handler, Runnable task) {
        Thread.ofVirtual().name("ueh").uncaughtExceptionHandler(handler).start(task);
    }

    static Thread keptAndJoined(Runnable task) throws InterruptedException {
        Thread t = Thread.ofVirtual().start(task);
        t.join();
        return t;
    }

    // ------------------------------------------------------------ driving

    /** Records what the task found, then leaves a mess for whoever runs next on this thread. */
    static Runnable recording(BlockingQueue<Ran> out) {
        return () -> {
            Thread me = Thread.currentThread();
            out.add(new Ran(me, me.getName(), me.isVirtual(), me.isInterrupted(), LEFTOVER.get()));
            LEFTOVER.set("dirty");
            me.interrupt();
        };
    }

    interface Starter {
        void start(Runnable task) throws Exception;
    }

    /** n starts one after another (so a finished thread can be reused), from a virtual or platform driver. */
    static List<Ran> drive(int n, boolean virtualDriver, Starter starter) throws Exception {
        List<Ran> ran = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable loop = () -> {
            try {
                BlockingQueue<Ran> queue = new ArrayBlockingQueue<>(1);
                for (int i = 0; i < n; i++) {
                    starter.start(recording(queue));
                    Ran r = queue.poll(60, TimeUnit.SECONDS);
                    if (r == null) {
                        throw new AssertionError("task " + i + " did not run");
                    }
                    ran.add(r);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        };
        Thread driver = (virtualDriver ? Thread.ofVirtual() : Thread.ofPlatform()).start(loop);
        driver.join();
        if (failure.get() != null) {
            throw new AssertionError("driver failed", failure.get());
        }
        return ran;
    }

    static void assertFresh(List<Ran> ran) {
        for (Ran r : ran) {
            assertThat(r.virtual()).as("virtual").isTrue();
            assertThat(r.interruptedAtStart()).as("interrupt left by an earlier task").isFalse();
            assertThat(r.leftover()).as("ThreadLocal left by an earlier task").isNull();
        }
    }

    static Set<Thread> threads(List<Ran> ran) {
        Set<Thread> threads = new HashSet<>();
        ran.forEach(r -> threads.add(r.thread()));
        return threads;
    }

    public static void main(String[] args) {
        Checks checks = new Checks();
        Set<Thread> recycledThreads = new HashSet<>();
        checks.run("recycler installed", () -> assertThat(BootCounters.recyclerInstalled()).isTrue());
        checks.run("discarded Thread.startVirtualThread(r) runs on recycled threads", () -> {
            long starts = BootCounters.routedStarts();
            long tasks = BootCounters.recyclerTasks();
            long reused = BootCounters.reusedTasks();
            List<Ran> ran = drive(N, true, FireAndForgetMain::fireStartVirtualThread);
            assertFresh(ran);
            assertThat(ran).allMatch(r -> r.name().isEmpty());
            assertThat(BootCounters.routedStarts() - starts).isEqualTo(N);
            assertThat(BootCounters.recyclerTasks() - tasks).isGreaterThanOrEqualTo(N);
            assertThat(BootCounters.reusedTasks() - reused).isPositive();
            assertThat(threads(ran).size()).as("distinct threads for %d tasks", N).isLessThan(N);
            recycledThreads.addAll(threads(ran));
        });
        checks.run("discarded Thread.ofVirtual().name(\"w-\", 0).start(r): w-0, w-1, ... on recycled threads", () -> {
            long starts = BootCounters.routedStarts();
            long reused = BootCounters.reusedTasks();
            Thread.Builder.OfVirtual builder = Thread.ofVirtual().name("w-", 0);
            List<Ran> ran = drive(N, true, task -> fireBuilderStart(builder, task));
            assertFresh(ran);
            for (int i = 0; i < N; i++) {
                assertThat(ran.get(i).name()).isEqualTo("w-" + i);
            }
            assertThat(builder.unstarted(() -> { }).getName()).as("the builder's counter moved").isEqualTo("w-" + N);
            assertThat(BootCounters.routedStarts() - starts).isEqualTo(N);
            assertThat(BootCounters.reusedTasks() - reused).isPositive();
            recycledThreads.addAll(threads(ran));
        });
        checks.run("one-liner Thread.ofVirtual().name(\"w-\", 0).start(r) names every thread w-0", () -> {
            List<Ran> ran = drive(50, true, FireAndForgetMain::fireOneLiner);
            assertFresh(ran);
            assertThat(ran).allMatch(r -> r.name().equals("w-0"));
            recycledThreads.addAll(threads(ran));
        });
        checks.run("factory.newThread(r).start() and builder.unstarted(r).start() chains", () -> {
            long starts = BootCounters.routedStarts();
            ThreadFactory factory = Thread.ofVirtual().name("f-", 0).factory();
            List<Ran> viaFactory = drive(50, true, task -> fireFactoryChain(factory, task));
            Thread.Builder builder = Thread.ofVirtual().name("u-", 10);
            List<Ran> viaBuilder = drive(50, true, task -> fireUnstartedChain(builder, task));
            assertFresh(viaFactory);
            assertFresh(viaBuilder);
            for (int i = 0; i < 50; i++) {
                assertThat(viaFactory.get(i).name()).isEqualTo("f-" + i);
                assertThat(viaBuilder.get(i).name()).isEqualTo("u-" + (10 + i));
            }
            assertThat(BootCounters.routedStarts() - starts).isEqualTo(100);
            recycledThreads.addAll(threads(viaFactory));
            recycledThreads.addAll(threads(viaBuilder));
        });
        checks.run("a routed start reports a failure to the builder's uncaught-exception handler", () -> {
            BlockingQueue<Object[]> reported = new ArrayBlockingQueue<>(1);
            AtomicReference<Thread> taskThread = new AtomicReference<>();
            IllegalStateException failure = new IllegalStateException("on purpose");
            long starts = BootCounters.routedStarts();
            fireWithHandler((t, e) -> reported.add(new Object[] {t, e}), () -> {
                taskThread.set(Thread.currentThread());
                throw failure;
            });
            Object[] report = reported.poll(60, TimeUnit.SECONDS);
            assertThat(report).isNotNull();
            assertThat(report[0]).isSameAs(taskThread.get());
            assertThat(((Thread) report[0]).getName()).isEqualTo("ueh");
            assertThat(report[1]).isSameAs(failure);
            assertThat(BootCounters.routedStarts() - starts).isEqualTo(1);
        });
        checks.run("platform-thread submitters are routed too", () -> {
            long starts = BootCounters.routedStarts();
            List<Ran> ran = drive(100, false, FireAndForgetMain::fireStartVirtualThread);
            assertFresh(ran);
            assertThat(BootCounters.routedStarts() - starts).isEqualTo(100);
        });
        checks.run("a kept Thread t = Thread.ofVirtual().start(r); t.join() is a real, unshared thread", () -> {
            long starts = BootCounters.routedStarts();
            for (int i = 0; i < 20; i++) {
                AtomicReference<Thread> ranOn = new AtomicReference<>();
                AtomicBoolean finished = new AtomicBoolean();
                Thread t = keptAndJoined(() -> {
                    ranOn.set(Thread.currentThread());
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        throw new RuntimeException(e);
                    }
                    finished.set(true);
                });
                assertThat(ranOn.get()).isSameAs(t);
                assertThat(finished).as("join waited for the task").isTrue();
                assertThat(t.getState()).isEqualTo(Thread.State.TERMINATED);
                assertThat(recycledThreads).doesNotContain(t);
            }
            assertThat(BootCounters.routedStarts()).as("kept starts are not routed").isEqualTo(starts);
        });
        checks.run("this class's discarded starts were rewritten", () ->
                assertThat(BootCounters.routedCallSites()).isGreaterThanOrEqualTo(SITES));
        checks.finish();
    }
}
