package dev.vtrecycler.it.routing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Started without the agent; the IT attaches it in recycle mode while this waits. Before: a JDK
 * executor is created and the fire-and-forget method has run (its class is loaded and linked).
 * After: that executor still works unchanged, new executors are recycling ones, and the already
 * loaded call site now routes, because the attach retransformed this class.
 */
public final class AttachTargetMain {
    private AttachTargetMain() {}

    static void fire(ThreadFactory factory, Runnable task) {
        factory.newThread(task).start();
    }

    public static void main(String[] args) throws Exception {
        ExecutorService before = Executors.newVirtualThreadPerTaskExecutor();
        ThreadFactory factory = Thread.ofVirtual().name("a-", 0).factory();
        List<String> firstNames = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 10; i++) {
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            fire(factory, () -> {
                firstNames.add(Thread.currentThread().getName());
                done.countDown();
            });
            done.await();
        }
        System.out.println("READY " + ProcessHandle.current().pid() + " " + before.getClass().getName());
        System.out.flush();
        String line = new BufferedReader(new InputStreamReader(System.in)).readLine();
        if (!"GO".equals(line)) {
            System.out.println("RESULT failed: expected GO, got " + line);
            System.exit(2);
        }
        Checks checks = new Checks();
        checks.run("recycler installed by the attach", () -> assertThat(BootCounters.recyclerInstalled()).isTrue());
        checks.run("an executor created before the attach keeps working unchanged", () -> {
            assertThat(before.getClass().getName()).isEqualTo("java.util.concurrent.ThreadPerTaskExecutor");
            assertThat(before.submit(() -> 7).get()).isEqualTo(7);
            before.close();
            assertThat(before.isTerminated()).isTrue();
        });
        checks.run("executors created after the attach are recycling ones", () -> {
            try (ExecutorService after = Executors.newVirtualThreadPerTaskExecutor()) {
                assertThat(after.getClass().getName()).isEqualTo(ExecutorContractMain.RECYCLING);
                assertThat(after.submit(() -> 8).get()).isEqualTo(8);
            }
        });
        checks.run("the already-loaded call site was retransformed and routes", () -> {
            assertThat(firstNames).hasSize(10);
            long starts = BootCounters.routedStarts();
            List<String> names = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < 10; i++) {
                java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
                fire(factory, () -> {
                    names.add(Thread.currentThread().getName());
                    done.countDown();
                });
                done.await();
            }
            assertThat(BootCounters.routedStarts() - starts).isEqualTo(10);
            assertThat(BootCounters.routedCallSites()).isGreaterThanOrEqualTo(1);
            // the factory's counter continued across the attach
            for (int i = 0; i < 10; i++) {
                assertThat(firstNames.get(i)).isEqualTo("a-" + i);
                assertThat(names.get(i)).isEqualTo("a-" + (10 + i));
            }
        });
        checks.finish();
    }
}
