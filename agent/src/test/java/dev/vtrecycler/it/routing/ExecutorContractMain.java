package dev.vtrecycler.it.routing;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forked with the agent (mode=recycle): the executor contract against what the advised
 * {@code Executors} methods now return, plus the routing decisions themselves.
 */
public final class ExecutorContractMain {
    static final String RECYCLING = "dev.vtrecycler.bootstrap.routing.RecyclingExecutor";

    private ExecutorContractMain() {}

    public static void main(String[] args) {
        Checks checks = new Checks();
        checks.run("recycler installed", () -> assertThat(BootCounters.recyclerInstalled()).isTrue());
        checks.run("newVirtualThreadPerTaskExecutor() is routed", () -> {
            long before = BootCounters.executorsCreated();
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                assertThat(executor.getClass().getName()).isEqualTo(RECYCLING);
            }
            assertThat(BootCounters.executorsCreated() - before).isEqualTo(1);
        });
        checks.run("newThreadPerTaskExecutor(JDK virtual factory) is routed", () -> {
            try (ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("v-", 0).factory())) {
                assertThat(executor.getClass().getName()).isEqualTo(RECYCLING);
            }
        });
        checks.run("other factories keep the JDK's executor", () -> {
            ThreadFactory wrapped = Thread.ofVirtual().factory()::newThread;
            for (ThreadFactory f : new ThreadFactory[] {Thread.ofPlatform().factory(), Executors.defaultThreadFactory(), wrapped}) {
                try (ExecutorService executor = Executors.newThreadPerTaskExecutor(f)) {
                    assertThat(executor.getClass().getName()).isEqualTo("java.util.concurrent.ThreadPerTaskExecutor");
                }
            }
        });
        checks.run("Jetty 12's reflective path (VirtualThreads.getNamedVirtualThreadsExecutor) is routed", () -> {
            // What org.eclipse.jetty.util.VirtualThreads does: ofVirtual().name(prefix, 0).factory(), then
            // Executors.newThreadPerTaskExecutor(factory) through reflection.
            ThreadFactory factory = Thread.ofVirtual().name("jetty-vt-", 0).factory();
            ExecutorService executor = (ExecutorService) Executors.class
                    .getMethod("newThreadPerTaskExecutor", ThreadFactory.class).invoke(null, factory);
            try (executor) {
                assertThat(executor.getClass().getName()).isEqualTo(RECYCLING);
                assertThat(executor.submit(() -> Thread.currentThread().getName()).get()).isEqualTo("jetty-vt-0");
            }
        });
        long tasksBefore = BootCounters.recyclerTasks();
        long reusedBefore = BootCounters.reusedTasks();
        ExecutorContract contract = new ExecutorContract(Executors::newThreadPerTaskExecutor, Executors::newVirtualThreadPerTaskExecutor);
        for (ExecutorContract.NamedCheck check : contract.allChecks()) {
            checks.run(check.name(), check.check());
        }
        checks.run("the contract's tasks ran on the recycler, on reused threads", () -> {
            assertThat(BootCounters.recyclerTasks() - tasksBefore).isGreaterThan(10_000);
            assertThat(BootCounters.reusedTasks() - reusedBefore).isPositive();
        });
        checks.finish();
    }
}
