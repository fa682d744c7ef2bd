package dev.vtrecycler.bootstrap.recycler;

import static dev.vtrecycler.bootstrap.recycler.RecyclerTest.awaitQuiescent;
import static dev.vtrecycler.bootstrap.recycler.RecyclerTest.inVirtualThread;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 11, memory and the rest of a thread's state: what a finished task leaves must not outlive it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreadStateResetTest {
    private final Recycler r = Recycler.create(RecyclerSettings.defaults(), false);

    @AfterEach
    void close() {
        r.close();
    }

    /** Runs task on r from a virtual thread and waits for it and for the pool to settle. */
    private Thread runOnce(Runnable task, boolean inherit) throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        inVirtualThread(() -> {
            CountDownLatch done = new CountDownLatch(1);
            r.start(() -> {
                ranOn.set(Thread.currentThread());
                try {
                    task.run();
                } finally {
                    done.countDown();
                }
            }, null, null, inherit);
            done.await();
        });
        awaitQuiescent(r);
        return ranOn.get();
    }

    @Test
    void anIdlePooledThreadKeepsNoTasksClassLoaderReachable() throws Exception {
        WeakReference<ClassLoader> loader = runWithThrowawayLoader();
        assertThat(r.stats().pooledLocal() + r.stats().pooledGlobal()).as("the thread is still pooled").isPositive();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (loader.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(loader.get()).as("the task's context class loader was collected").isNull();
    }

    private WeakReference<ClassLoader> runWithThrowawayLoader() throws Exception {
        ClassLoader webapp = new URLClassLoader("webapp", new URL[0], null);
        AtomicReference<ClassLoader> seen = new AtomicReference<>();
        inVirtualThread(() -> {
            Thread.currentThread().setContextClassLoader(webapp); // the submitter's: inherited
            CountDownLatch done = new CountDownLatch(1);
            r.start(() -> {
                seen.set(Thread.currentThread().getContextClassLoader());
                Thread.currentThread().setUncaughtExceptionHandler((t, e) -> webapp.getName()); // holds it too
                done.countDown();
            }, null, null, true);
            done.await();
        });
        awaitQuiescent(r);
        assertThat(seen.get()).isSameAs(webapp);
        return new WeakReference<>(webapp);
    }

    private static final VarHandle PROBE;

    static {
        try {
            PROBE = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                    .findVarHandle(Thread.class, "threadLocalRandomProbe", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test
    void threadLocalRandomStartsAfreshAsOnANewThread() throws Exception {
        AtomicInteger nonZeroAtStart = new AtomicInteger();
        for (int i = 0; i < 30; i++) {
            runOnce(() -> {
                if ((int) PROBE.get(Thread.currentThread()) != 0) {
                    nonZeroAtStart.incrementAndGet();
                }
                ThreadLocalRandom.current().nextInt(); // initializes seed and probe
            }, false);
        }
        assertThat(r.stats().tasksFromLocal() + r.stats().tasksFromGlobal()).as("threads were reused").isPositive();
        assertThat(nonZeroAtStart.get()).as("tasks that found the previous task's probe (a new thread's is 0)").isZero();
    }

    private static final VarHandle THREAD_LOCALS;

    static {
        try {
            THREAD_LOCALS = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                    .findVarHandle(Thread.class, "threadLocals", Class.forName("java.lang.ThreadLocal$ThreadLocalMap"));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The thread-local map a pooled thread held as one run of a task began and as it ended. */
    private record Maps(Object atStart, Object atEnd) { }

    /** Runs {@code task} until one pooled thread has run it twice; that thread's runs, in order. */
    private java.util.List<Maps> mapsOnOneThread(Runnable task) throws Exception {
        java.util.Map<Thread, java.util.List<Maps>> byThread = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < 50; i++) {
            runOnce(() -> {
                Thread me = Thread.currentThread();
                Object atStart = THREAD_LOCALS.get(me);
                task.run();
                byThread.computeIfAbsent(me, t -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(new Maps(atStart, THREAD_LOCALS.get(me)));
            }, false);
            for (java.util.List<Maps> runs : byThread.values()) {
                if (runs.size() >= 2) {
                    return runs;
                }
            }
        }
        throw new AssertionError("no pooled thread ran two tasks in 50");
    }

    @Test
    void aTasksThreadLocalsAreGoneButTheirMapIsKeptForTheNext() throws Exception {
        ThreadLocal<String> plain = new ThreadLocal<>();
        AtomicInteger initialized = new AtomicInteger();
        ThreadLocal<String> withInitial = ThreadLocal.withInitial(() -> "initial-" + initialized.incrementAndGet());
        java.util.List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<Maps> runs = mapsOnOneThread(() -> {
            if (plain.get() != null) {
                violations.add("plain: " + plain.get());
            }
            if (!withInitial.get().startsWith("initial-")) {
                violations.add("withInitial: " + withInitial.get());
            }
            plain.set("dirty");
            withInitial.set("dirty");
        });
        assertThat(violations).as("values a task found from the task before").isEmpty();
        assertThat(runs.get(0).atEnd()).as("the first run made a map").isNotNull();
        assertThat(runs.get(1).atStart()).as("the next task starts with that map, emptied").isSameAs(runs.get(0).atEnd());
        assertThat(initialized.get()).as("withInitial computed again for each task").isGreaterThanOrEqualTo(2);
    }

    @Test
    void aMapATaskEmptiedItselfIsKeptAsItIs() throws Exception {
        ThreadLocal<String> removed = new ThreadLocal<>();
        ThreadLocal<String> kept = new ThreadLocal<>();
        AtomicInteger seenDirty = new AtomicInteger();
        AtomicInteger run = new AtomicInteger();
        java.util.List<Maps> runs = mapsOnOneThread(() -> {
            if (removed.get() != null || kept.get() != null) {
                seenDirty.incrementAndGet();
            }
            removed.set("dirty");
            if (run.incrementAndGet() % 2 == 0) {
                kept.set("dirty"); // every other task leaves one value behind
            }
            removed.remove();
        });
        assertThat(seenDirty.get()).as("values a task found from the task before").isZero();
        assertThat(runs.get(1).atStart()).isSameAs(runs.get(0).atEnd());
    }

    @Test
    void aMapWhoseTableGrewIsLetGo() throws Exception {
        java.util.List<ThreadLocal<Integer>> many = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(new ThreadLocal<>()); // 40 entries: the table grows past its first 16 slots
        }
        AtomicInteger leaked = new AtomicInteger();
        java.util.List<Maps> runs = mapsOnOneThread(() -> {
            for (ThreadLocal<Integer> local : many) {
                if (local.get() != null) {
                    leaked.incrementAndGet();
                }
                local.set(1);
            }
        });
        assertThat(leaked.get()).isZero();
        assertThat(runs.get(0).atEnd()).isNotNull();
        assertThat(runs.get(1).atStart()).as("the next task starts with no map, as a fresh thread").isNull();
    }

    @Test
    void anEmptiedMapKeepsNoValueOfTheTaskReachable() throws Exception {
        ThreadLocal<Object> local = new ThreadLocal<>();
        AtomicReference<WeakReference<Object>> value = new AtomicReference<>();
        Thread ran = runOnce(() -> {
            Object big = new byte[1 << 20];
            value.set(new WeakReference<>(big));
            local.set(big);
        }, false);
        assertThat(r.stats().pooledLocal() + r.stats().pooledGlobal()).as("the thread is still pooled").isPositive();
        assertThat(THREAD_LOCALS.get(ran)).as("its map is kept").isNotNull();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (value.get().get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(value.get().get()).as("the task's thread-local value was collected").isNull();
    }

    @Test
    void aTaskThatLeavesAStructuredScopeOpenRetiresItsThread() throws Exception {
        // ThreadFlock is what StructuredTaskScope opens (and pushes on the thread's scope stack).
        Class<?> flock = Class.forName("jdk.internal.misc.ThreadFlock");
        Thread leaky = runOnce(() -> {
            try {
                flock.getMethod("open", String.class).invoke(null, "left-open");
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }, false);
        assertThat(r.stats().rejectedOpenScope()).isEqualTo(1);
        leaky.join(TimeUnit.SECONDS.toMillis(20)); // ends: the JDK pops the open scope at its end
        assertThat(leaky.isAlive()).isFalse();
        Thread next = runOnce(() -> { }, false);
        assertThat(next).isNotSameAs(leaky);
    }

    @Test
    void theGlobalListShrinksBackAfterABurst() throws Exception {
        RecyclerTest.parkNThenPool(r, 600); // two carriers keep <= 63 each: the rest spills to global
        GlobalList global = r.globalList();
        assertThat(global.capacity()).isGreaterThan(64);
        r.drainGlobalAfterGc(); // the first GC keeps them (idle since after start), the second does not
        r.drainGlobalAfterGc();
        assertThat(global.capacity()).isEqualTo(64);
    }

    @Test
    void aRetiredWorkersStaleListEntryKeepsNoThread() throws Exception {
        RecyclerTest.parkNThenPool(r, 20);
        java.util.List<Worker> listed = new java.util.ArrayList<>();
        for (LocalList l : r.localLists()) {
            for (int i = 0; i < l.size; i++) {
                listed.add(l.items[i]);
            }
        }
        assertThat(listed).isNotEmpty();
        r.close(); // retires every idle worker; their entries stay until the lists' owners touch them
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (listed.stream().anyMatch(w -> w.thread != null) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(listed).allMatch(w -> w.thread == null && w.lastList == null);
    }
}
