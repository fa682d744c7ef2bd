package dev.vtrecycler.it.frameworks;

import dev.vtrecycler.it.routing.BootCounters;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.core.task.VirtualThreadTaskExecutor;

import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spring Framework 7's two virtual-thread executors (spring-core only), run in a forked JVM by
 * {@link FrameworksIT}. Prints one {@code SPRING <executor> ...} line per executor with its figures, and
 * {@code CLOSE waited=<bool>} for the tracking executor's close().
 */
public final class SpringExecutorsMain {
    static final int TASKS = 5000;
    private static final int WAVE = 50;

    private SpringExecutorsMain() {}

    public static void main(String[] args) throws Exception {
        run("VirtualThreadTaskExecutor", "vte-", new VirtualThreadTaskExecutor("vte-"));

        SimpleAsyncTaskExecutor simple = new SimpleAsyncTaskExecutor("simple-");
        simple.setVirtualThreads(true);
        run("SimpleAsyncTaskExecutor", "simple-", simple);

        SimpleAsyncTaskExecutor overriding = new SimpleAsyncTaskExecutor("overriding-") {
            private static final long serialVersionUID = 1L;

            @Override
            protected Thread newThread(Runnable task) {
                return super.newThread(task); // an override may keep the thread: never routed
            }
        };
        overriding.setVirtualThreads(true);
        run("SimpleAsyncTaskExecutor+newThreadOverride", "overriding-", overriding);

        SimpleAsyncTaskExecutor tracking = new SimpleAsyncTaskExecutor("tracking-");
        tracking.setVirtualThreads(true);
        tracking.setTaskTerminationTimeout(30_000); // it now keeps its threads to wait for them in close()
        run("SimpleAsyncTaskExecutor+terminationTimeout", "tracking-", tracking);
        System.out.println("CLOSE waited=" + closeWaits(tracking));
        System.out.println("RESULT ok");
    }

    private static void run(String name, String prefix, TaskExecutor executor) throws InterruptedException {
        long routedBefore = BootCounters.routedStarts();
        long reusedBefore = BootCounters.reusedTasks();
        // thread ids, not a synchronized WeakHashMap: see Handled.THREADS (a JDK 24+ bug with JVMTI transitions off)
        Set<Long> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger distinct = new AtomicInteger();
        AtomicInteger virtual = new AtomicInteger();
        AtomicInteger named = new AtomicInteger();
        // in waves, as requests arrive: a wave's threads are idle again when the next wave comes
        boolean finished = true;
        for (int wave = 0; wave < TASKS / WAVE; wave++) {
            CountDownLatch done = new CountDownLatch(WAVE);
            for (int i = 0; i < WAVE; i++) {
                executor.execute(() -> {
                    Thread current = Thread.currentThread();
                    if (threads.add(current.threadId())) {
                        distinct.incrementAndGet();
                    }
                    if (current.isVirtual()) {
                        virtual.incrementAndGet();
                    }
                    if (current.getName().startsWith(prefix)) {
                        named.incrementAndGet();
                    }
                    done.countDown();
                });
            }
            finished &= done.await(1, TimeUnit.MINUTES);
        }
        System.out.println("SPRING " + name + " finished=" + finished + " tasks=" + TASKS + " virtual=" + virtual
                + " named=" + named + " distinctThreads=" + distinct + " routedStarts=" + (BootCounters.routedStarts() - routedBefore)
                + " reusedTasks=" + (BootCounters.reusedTasks() - reusedBefore));
    }

    /** close() of an executor with a task termination timeout waits for its running tasks. */
    private static boolean closeWaits(SimpleAsyncTaskExecutor executor) throws InterruptedException {
        AtomicInteger completed = new AtomicInteger();
        int slow = 20;
        CountDownLatch running = new CountDownLatch(slow);
        for (int i = 0; i < slow; i++) {
            executor.execute(() -> {
                running.countDown();
                try {
                    Thread.sleep(300);
                    completed.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        // Spring cancels tasks that had not begun when close() came; it waits for those that run
        running.await(1, TimeUnit.MINUTES);
        executor.close();
        return completed.get() == slow;
    }
}
