package dev.vtrecycler.bootstrap.recycler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Behaviour of one recycler instance (not the global one): reuse, sources, gate, drain, idle, reset. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecyclerTest {
    private final List<Recycler> recyclers = new ArrayList<>();

    private Recycler recycler(RecyclerSettings settings, boolean housekeeper) {
        Recycler r = Recycler.create(settings, housekeeper);
        recyclers.add(r);
        return r;
    }

    private Recycler recycler() {
        return recycler(RecyclerSettings.defaults(), false);
    }

    @AfterEach
    void closeRecyclers() {
        recyclers.forEach(Recycler::close);
    }

    static void inVirtualThread(ThrowingRunnable body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.join();
        if (failure.get() instanceof Exception e) {
            throw e;
        } else if (failure.get() instanceof Error e) {
            throw e;
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Waits until every pooled thread is idle and there are {@code expected} of them. */
    static void awaitPooled(Recycler r, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (pooled(r) != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pooled stayed at " + pooled(r) + ", expected " + expected);
            }
            Thread.sleep(5);
        }
    }

    /** Waits until every live pooled thread is idle: pooled == created - retired. */
    static void awaitQuiescent(Recycler r) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (pooled(r) != alive(r)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pooled " + pooled(r) + " != alive " + alive(r));
            }
            Thread.sleep(2);
        }
    }

    static long alive(Recycler r) {
        RecyclerStats s = r.stats();
        return s.tasksFromNew() - s.rejectedStack() - s.rejectedGc() - s.rejectedIdle() - s.rejectedError()
                - s.rejectedOpenScope();
    }

    static long pooled(Recycler r) {
        return r.stats().pooledLocal() + r.stats().pooledGlobal();
    }

    /**
     * Starts n tasks from a virtual thread that all block until released, then releases them and
     * waits until all are pooled: they go back to their carriers' lists, which spill to the global list.
     */
    static List<Thread> parkNThenPool(Recycler r, int n) throws Exception {
        return parkNThenPool(r, n, true);
    }

    /** As {@link #parkNThenPool(Recycler, int)}; from this (platform) thread, all go to the global list. */
    static List<Thread> parkNThenPool(Recycler r, int n, boolean fromVirtualThread) throws Exception {
        CountDownLatch started = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> threads = java.util.Collections.synchronizedList(new ArrayList<>());
        ThrowingRunnable startAll = () -> {
            for (int i = 0; i < n; i++) {
                r.start(() -> {
                    threads.add(Thread.currentThread());
                    started.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }, null, null, false);
            }
        };
        if (fromVirtualThread) {
            inVirtualThread(startAll);
        } else {
            startAll.run();
        }
        started.await();
        release.countDown();
        awaitQuiescent(r);
        assertThat(alive(r)).isGreaterThanOrEqualTo(n);
        return threads;
    }

    @Test
    void runsTasksOnVirtualThreadsAndReusesThem() throws Exception {
        Recycler r = recycler();
        AtomicReference<Thread> first = new AtomicReference<>();
        AtomicReference<Thread> second = new AtomicReference<>();
        inVirtualThread(() -> {
            CountDownLatch one = new CountDownLatch(1);
            TaskHandle h = r.start(() -> { first.set(Thread.currentThread()); one.countDown(); }, "one", null, false);
            one.await();
            while (!h.isDone()) {
                Thread.onSpinWait();
            }
            assertThat(h.thread()).isNull();
            // wait until it is back in a list, then the next start on this carrier takes it (LIFO)
            awaitQuiescent(r);
            CountDownLatch two = new CountDownLatch(1);
            r.start(() -> { second.set(Thread.currentThread()); two.countDown(); }, "two", null, false);
            two.await();
        });
        assertThat(first.get().isVirtual()).isTrue();
        assertThat(r.stats().tasksFromNew() + r.stats().tasksFromLocal() + r.stats().tasksFromGlobal())
                .isEqualTo(3); // the auto stack-limit probe, one, two
        assertThat(r.stats().tasksFromNew()).isLessThanOrEqualTo(2);
        assertThat(r.stats().tasksFromLocal() + r.stats().tasksFromGlobal()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void platformSubmittersTakeFromTheGlobalListOnly() throws Exception {
        Recycler r = recycler();
        parkNThenPool(r, 200); // carriers keep <= 63 each, the rest spilled to global
        long global = r.stats().pooledGlobal();
        assertThat(global).isGreaterThan(0);
        long globalBefore = r.stats().tasksFromGlobal();
        long localBefore = r.stats().tasksFromLocal();
        long newBefore = r.stats().tasksFromNew();

        CountDownLatch ran = new CountDownLatch(1);
        r.start(ran::countDown, null, null, false); // from this platform (test) thread
        ran.await();

        assertThat(r.stats().tasksFromGlobal()).isEqualTo(globalBefore + 1);
        assertThat(r.stats().tasksFromLocal()).isEqualTo(localBefore);
        assertThat(r.stats().tasksFromNew()).isEqualTo(newBefore);
    }

    @Test
    void aPlatformSubmittersWorkersComeBackToTheGlobalList() throws Exception {
        Recycler r = recycler();
        int tasks = 200;
        for (int i = 0; i < tasks; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            r.start(ran::countDown, null, null, false); // from this platform (test) thread
            ran.await();
            awaitQuiescent(r); // the worker is back in a list before the next start
        }
        // One task at a time: the one worker it needs is found again where this submitter looks.
        // (On carrier lists it could reach the global list only by spills, 33 at a time once a
        // list held 64: dozens of new threads.)
        assertThat(r.stats().tasksFromNew()).isLessThanOrEqualTo(2); // the stack-limit probe's, and ours
        assertThat(r.stats().tasksFromGlobal()).isGreaterThanOrEqualTo(tasks - 1);
        assertThat(r.stats().spills()).isZero();
        assertThat(r.stats().pooledLocal()).isZero();
    }

    @Test
    void noCarrierListHoldsMoreThan63AfterAPut() throws Exception {
        Recycler r = recycler();
        parkNThenPool(r, 500);
        for (LocalList l : r.localLists()) {
            assertThat(l.maxSizeAfterPut).isLessThanOrEqualTo(63);
            assertThat(l.size).isLessThanOrEqualTo(63);
        }
        assertThat(r.stats().spills()).isGreaterThan(0);
        assertThat(r.stats().pooledLocal()).isLessThanOrEqualTo(63L * r.localLists().length);
    }

    @Test
    void aDeadCarriersListMovesToTheGlobalList() throws Exception {
        Recycler r = recycler();
        awaitQuiescent(r); // the auto stack-limit probe is pooled somewhere: count relative to it
        long localBefore = r.stats().pooledLocal();
        long localBytesBefore = r.stats().pooledStackBytesLocal();
        long globalBefore = r.stats().pooledGlobal();
        long globalBytesBefore = r.stats().pooledStackBytesGlobal();
        Thread deadCarrier = Thread.ofPlatform().start(() -> { });
        deadCarrier.join();
        LocalList orphan = new LocalList(deadCarrier, 64);
        FreeLists lists = r.freeLists();
        for (int i = 0; i < 5; i++) {
            Worker w = new Worker(r.stats());
            w.stage(() -> { }, null, null, null, null, null, null, false);
            w.handFirst();
            w.casState(w.state(), Worker.withKind(w.state(), Worker.FINISHED));
            w.stackBytes = 1000;
            w.idleSinceNanos = System.nanoTime(); // not idle long: only the purge may move them
            lists.put(orphan, w);
        }
        r.registerForTest(orphan);
        assertThat(r.stats().pooledLocal()).isEqualTo(localBefore + 5);
        assertThat(r.stats().pooledStackBytesLocal()).isEqualTo(localBytesBefore + 5000);

        r.housekeep();

        assertThat(r.localLists()).doesNotContain(orphan);
        assertThat(orphan.size).isZero();
        assertThat(r.stats().pooledLocal()).isEqualTo(localBefore);
        assertThat(r.stats().pooledGlobal()).isEqualTo(globalBefore + 5);
        assertThat(r.stats().pooledStackBytesGlobal()).isEqualTo(globalBytesBefore + 5000);
    }

    @Test
    void pooledThreadsReportTheirRetainedStack() throws Exception {
        Recycler r = recycler();
        parkNThenPool(r, 100);
        RecyclerStats s = r.stats();
        long perThread = r.idleStackBytes();
        assertThat(perThread).isGreaterThan(0);
        // The 100 threads that parked hold at least an idle thread's stack each. Not "per pooled
        // thread": on JDK 21 one more pooled worker (the stack gate's own probe) retains nothing yet.
        assertThat(s.pooledLocal() + s.pooledGlobal()).isGreaterThanOrEqualTo(100);
        assertThat(s.pooledStackBytesLocal() + s.pooledStackBytesGlobal()).isGreaterThanOrEqualTo(perThread * 100);
    }

    @Test
    void executeRunsTheTaskWithoutAHandle() throws Exception {
        Recycler r = recycler();
        CountDownLatch ran = new CountDownLatch(2);
        AtomicReference<String> name = new AtomicReference<>();
        r.execute(ran::countDown, null, null, false);
        inVirtualThread(() -> r.execute(() -> {
            name.set(Thread.currentThread().getName());
            ran.countDown();
        }, "named", null, false));
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(name.get()).isEqualTo("named");
    }

    @Test
    void aGcDrainRetiresOnlyGlobalThreadsIdleThroughAWholeCycle() throws Exception {
        Recycler r = recycler();
        List<Thread> threads = parkNThenPool(r, 200);
        long global = r.stats().pooledGlobal();
        long local = r.stats().pooledLocal();
        assertThat(global).isGreaterThan(0);

        // The first GC: every thread was idle only since after the recycler started (its "previous
        // drain"), so none has been idle through a whole cycle yet.
        assertThat(r.drainGlobalAfterGc()).isZero();
        assertThat(r.stats().pooledGlobal()).isEqualTo(global);
        // The second: the same threads were idle from one GC to the next; the local lists stay.
        assertThat(r.drainGlobalAfterGc()).isEqualTo((int) global);

        assertThat(r.stats().rejectedGc()).isEqualTo(global);
        assertThat(r.stats().pooledGlobal()).isZero();
        assertThat(r.stats().pooledLocal()).isEqualTo(local);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (threads.stream().filter(t -> !t.isAlive()).count() < global && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(threads.stream().filter(t -> !t.isAlive()).count()).isEqualTo(global);
    }

    @Test
    void aRealGcDrainsTheGlobalList() throws Exception {
        Recycler r = recycler(RecyclerSettings.defaults(), true);
        // From a platform thread, so all 200 go to the global list however many carriers the
        // scheduler runs now (an earlier test's pinned carriers may have made it add some).
        parkNThenPool(r, 200, false);
        assertThat(r.stats().pooledGlobal()).isGreaterThan(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (r.stats().pooledGlobal() > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(r.stats().pooledGlobal()).isZero();
        assertThat(r.stats().rejectedGc()).isGreaterThan(0);
    }

    @Test
    void idleThreadsRetireFromEveryList() throws Exception {
        // 1 s, not less: on a loaded machine threads must not retire before all 300 are pooled.
        Recycler r = recycler(new RecyclerSettings(64, 0, TimeUnit.SECONDS.toNanos(1)), true);
        parkNThenPool(r, 300);
        long created = r.stats().tasksFromNew();
        awaitPooled(r, 0);
        // The housekeeper adds its count after the pass (the states change first): wait for it.
        // A GC during the test may drain the global list first (reason gc); local lists only idle out.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (r.stats().rejectedIdle() + r.stats().rejectedGc() < created && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(r.stats().rejectedIdle() + r.stats().rejectedGc()).isEqualTo(created);
        assertThat(r.stats().rejectedIdle()).isPositive();
        // stale local entries are skipped: new work still runs, on new threads
        CountDownLatch ran = new CountDownLatch(1);
        inVirtualThread(() -> r.start(ran::countDown, null, null, false));
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theStackGateRejectsAThreadThatParkedDeep() throws Exception {
        Recycler r = recycler();
        assertThat(r.gateEnabled()).isTrue();
        assertThat(r.stackLimitBytes()).isGreaterThanOrEqualTo(StackGate.AUTO_STACK_FLOOR_BYTES);
        inVirtualThread(() -> {
            CountDownLatch shallow = new CountDownLatch(1);
            r.start(() -> {
                LockSupport.parkNanos(1_000_000); // a shallow park: the idle-sized chunk
                shallow.countDown();
            }, null, null, false);
            shallow.await();
            awaitQuiescent(r);
            assertThat(r.stats().rejectedStack()).isZero();

            CountDownLatch deep = new CountDownLatch(1);
            r.start(() -> {
                recurseThenPark(1000);
                deep.countDown();
            }, null, null, false);
            deep.await();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (r.stats().rejectedStack() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        });
        assertThat(r.stats().rejectedStack()).isEqualTo(1);
    }

    /**
     * The gate measures a worker's stack again only when its continuation has a new tail chunk
     * (StackGate#retainedBytes): a thread it measured shallow, whose next task parks deep, must still
     * be rejected. Runs shallow tasks, then a deep one, until the deep one lands on a thread the gate
     * measured before; every deep task must be rejected.
     */
    @Test
    void theStackGateSeesAStackThatGrewOnAThreadItMeasuredBefore() throws Exception {
        Recycler r = recycler();
        java.util.Set<Thread> measured = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger deepTasks = new AtomicInteger();
        AtomicInteger deepOnMeasured = new AtomicInteger();
        inVirtualThread(() -> {
            for (int cycle = 0; cycle < 10 && deepOnMeasured.get() == 0; cycle++) {
                for (int i = 0; i < 4; i++) {
                    CountDownLatch shallow = new CountDownLatch(1);
                    r.start(() -> {
                        LockSupport.parkNanos(1_000_000);
                        measured.add(Thread.currentThread());
                        shallow.countDown();
                    }, null, null, false);
                    shallow.await();
                    awaitQuiescent(r);
                }
                CountDownLatch deep = new CountDownLatch(1);
                r.start(() -> {
                    if (measured.contains(Thread.currentThread())) {
                        deepOnMeasured.incrementAndGet();
                    }
                    recurseThenPark(1000);
                    deep.countDown();
                }, null, null, false);
                deep.await();
                deepTasks.incrementAndGet();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (r.stats().rejectedStack() < deepTasks.get() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
            }
        });
        assertThat(deepOnMeasured.get()).as("a deep task ran on a thread measured shallow before").isPositive();
        assertThat(r.stats().rejectedStack()).as("every thread that parked deep was rejected").isEqualTo(deepTasks.get());
        assertThat(r.stats().newStackChunks())
                .as("a deep park on a thread measured before needed a new chunk").isGreaterThanOrEqualTo(deepOnMeasured.get());
    }

    static int recurseThenPark(int depth) {
        if (depth == 0) {
            LockSupport.parkNanos(1_000_000);
            return 0;
        }
        return 1 + recurseThenPark(depth - 1);
    }

    @Test
    void anExplicitStackLimitIsInForce() {
        Recycler r = recycler(new RecyclerSettings(64, 1 << 20, TimeUnit.SECONDS.toNanos(60)), false);
        assertThat(r.stackLimitBytes()).isEqualTo(1 << 20);
    }

    @Test
    void aThrowingTaskIsReportedLikeAFreshThreadAndRetiresItsThread() throws Exception {
        Recycler r = recycler();
        AtomicReference<Thread> reportedThread = new AtomicReference<>();
        AtomicReference<Throwable> reported = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Thread> ran = new AtomicReference<>();
        RuntimeException boom = new RuntimeException("boom");
        r.start(() -> {
            ran.set(Thread.currentThread());
            throw boom;
        }, "thrower", (t, e) -> {
            reportedThread.set(t);
            reported.set(e);
            done.countDown();
        }, false);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(reported.get()).isSameAs(boom);
        assertThat(reportedThread.get()).isSameAs(ran.get());
        ran.get().join(10_000);
        assertThat(ran.get().isAlive()).isFalse();
        assertThat(r.stats().rejectedError()).isEqualTo(1);
    }

    @Test
    void withoutAHandlerTheDefaultHandlerSeesTheThrow() throws Exception {
        Recycler r = recycler();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        AtomicReference<Throwable> reported = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            reported.set(e);
            done.countDown();
        });
        try {
            IllegalStateException boom = new IllegalStateException("default");
            r.start(() -> { throw boom; }, null, null, false);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(reported.get()).isSameAs(boom);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }

    @Test
    void anInterruptReachesOnlyItsOwnTask() throws Exception {
        Recycler r = recycler();
        inVirtualThread(() -> {
            CountDownLatch waiting = new CountDownLatch(1);
            AtomicReference<Boolean> sawInterrupt = new AtomicReference<>();
            AtomicReference<Thread> firstThread = new AtomicReference<>();
            TaskHandle h = r.start(() -> {
                firstThread.set(Thread.currentThread());
                waiting.countDown();
                try {
                    Thread.sleep(TimeUnit.SECONDS.toMillis(30));
                    sawInterrupt.set(false);
                } catch (InterruptedException e) {
                    sawInterrupt.set(true);
                }
            }, null, null, false);
            waiting.await();
            assertThat(h.thread()).isSameAs(firstThread.get());
            assertThat(h.interrupt()).isTrue();
            while (!h.isDone()) {
                Thread.sleep(1);
            }
            assertThat(sawInterrupt.get()).isTrue();
            assertThat(h.interrupt()).isFalse(); // done: a no-op

            awaitQuiescent(r);
            CountDownLatch second = new CountDownLatch(1);
            AtomicReference<Thread> secondThread = new AtomicReference<>();
            AtomicReference<Boolean> secondInterrupted = new AtomicReference<>();
            CountDownLatch proceed = new CountDownLatch(1);
            r.start(() -> {
                secondThread.set(Thread.currentThread());
                second.countDown();
                try {
                    proceed.await();
                } catch (InterruptedException e) {
                    secondInterrupted.set(true);
                    return;
                }
                secondInterrupted.set(Thread.currentThread().isInterrupted());
            }, null, null, false);
            second.await();
            assertThat(h.interrupt()).isFalse(); // the old handle must not reach the new task
            proceed.countDown();
            while (secondInterrupted.get() == null) {
                Thread.sleep(1);
            }
            assertThat(secondInterrupted.get()).isFalse();
        });
    }

    @Test
    void eachTaskSeesAFreshThread() throws Exception {
        Recycler r = recycler();
        ThreadLocal<String> local = new ThreadLocal<>();
        InheritableThreadLocal<String> inheritable = new InheritableThreadLocal<>() {
            @Override
            protected String childValue(String parentValue) {
                return parentValue + "-child";
            }
        };
        ClassLoader submitterLoader = new ClassLoader() { };
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger reused = new AtomicInteger();
        java.util.Set<Thread> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        inVirtualThread(() -> {
            inheritable.set("parent");
            Thread.currentThread().setContextClassLoader(submitterLoader);
            for (int i = 0; i < 200; i++) {
                boolean inherit = i % 2 == 0;
                String name = i % 3 == 0 ? null : "task-" + i;
                CountDownLatch done = new CountDownLatch(1);
                r.start(() -> {
                    Thread me = Thread.currentThread();
                    if (!seen.add(me)) {
                        reused.incrementAndGet();
                    }
                    boolean fresh = local.get() == null
                            && java.util.Objects.equals(inheritable.get(), inherit ? "parent-child" : null)
                            && !me.isInterrupted()
                            && me.getName().equals(name == null ? "" : name)
                            && me.getContextClassLoader() == (inherit ? submitterLoader : ClassLoader.getSystemClassLoader())
                            && me.getUncaughtExceptionHandler() == me.getThreadGroup();
                    if (!fresh) {
                        violations.incrementAndGet();
                    }
                    // leave dirt behind for the next task on this thread
                    local.set("dirty");
                    inheritable.set("dirty");
                    me.setContextClassLoader(null);
                    me.setUncaughtExceptionHandler((t, e) -> { });
                    me.setName("dirty");
                    me.interrupt();
                    done.countDown();
                }, name, null, inherit);
                done.await();
            }
        });
        assertThat(violations.get()).isZero();
        assertThat(reused.get()).isGreaterThan(100);
    }
}
