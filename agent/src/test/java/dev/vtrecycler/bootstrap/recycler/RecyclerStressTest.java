package dev.vtrecycler.bootstrap.recycler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Over a million tasks from virtual and platform submitters at once, with the housekeeper running
 * (GC drain, idle retirement) and handles interrupting tasks, checking the invariants: each task
 * runs exactly once; no carrier list above 63 after a put; nothing leaks from one task to the next
 * on a thread; after the burst at most carriers x 63 pooled locally, then zero after idle-timeout.
 */
class RecyclerStressTest {
    private static final int VIRTUAL_SUBMITTERS = 8;
    private static final int PLATFORM_SUBMITTERS = 4;
    private static final int TASKS_PER_SUBMITTER = 87_382; // 12 x 87,382 = 1,048,584 tasks
    private static final int TOTAL = (VIRTUAL_SUBMITTERS + PLATFORM_SUBMITTERS) * TASKS_PER_SUBMITTER;
    /** Every 16th task is a victim: its handle gets interrupted a little later, maybe while it runs. */
    private static final int VICTIM_EVERY = 16;

    private final ThreadLocal<String> local = new ThreadLocal<>();
    private final InheritableThreadLocal<String> inheritable = new InheritableThreadLocal<>();
    private final AtomicIntegerArray runs = new AtomicIntegerArray(TOTAL);
    private final AtomicLong finished = new AtomicLong();
    private final AtomicLong violations = new AtomicLong();
    private final AtomicReference<String> firstViolation = new AtomicReference<>();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aMillionTasksFromManySubmitters() throws Exception {
        long idleTimeout = TimeUnit.MILLISECONDS.toNanos(300);
        Recycler r = Recycler.create(new RecyclerSettings(64, 0, idleTimeout), true);
        try {
            List<Thread> submitters = new ArrayList<>();
            for (int s = 0; s < VIRTUAL_SUBMITTERS + PLATFORM_SUBMITTERS; s++) {
                int submitter = s;
                Runnable body = () -> submitAll(r, submitter);
                submitters.add(s < VIRTUAL_SUBMITTERS
                        ? Thread.ofVirtual().name("submitter-" + s).start(body)
                        : Thread.ofPlatform().name("submitter-" + s).start(body));
            }
            for (Thread t : submitters) {
                t.join();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (finished.get() < TOTAL && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(finished.get()).isEqualTo(TOTAL);
            for (int i = 0; i < TOTAL; i++) {
                if (runs.get(i) != 1) {
                    throw new AssertionError("task " + i + " ran " + runs.get(i) + " times");
                }
            }
            assertThat(violations.get()).as("first: %s", firstViolation.get()).isZero();

            RecyclerStats s = r.stats();
            assertThat(s.tasksFromLocal() + s.tasksFromGlobal() + s.tasksFromNew())
                    .isEqualTo(TOTAL + 1L); // + the auto stack-limit probe
            assertThat(s.rejectedError()).isZero();

            RecyclerTest.awaitQuiescent(r);
            LocalList[] lists = r.localLists();
            for (LocalList l : lists) {
                assertThat(l.maxSizeAfterPut).isLessThanOrEqualTo(63);
            }
            int carriers = lists.length;
            assertThat(s.pooledLocal()).isLessThanOrEqualTo(63L * carriers);
            assertThat(RecyclerTest.pooled(r)).isEqualTo(s.pooledLocal() + s.pooledGlobal());
            System.out.printf("stress: %d tasks, local=%d global=%d new=%d spills=%d refills=%d "
                            + "rejected stack=%d gc=%d idle=%d; pooled local=%d global=%d over %d carriers%n",
                    TOTAL, s.tasksFromLocal(), s.tasksFromGlobal(), s.tasksFromNew(), s.spills(), s.refills(),
                    s.rejectedStack(), s.rejectedGc(), s.rejectedIdle(), s.pooledLocal(), s.pooledGlobal(), carriers);

            RecyclerTest.awaitPooled(r, 0); // idle-timeout retires everything, from every list
            assertThat(s.pooledStackBytesLocal()).isZero();
            assertThat(s.pooledStackBytesGlobal()).isZero();
        } finally {
            r.close();
        }
    }

    private void submitAll(Recycler r, int submitter) {
        Thread.currentThread().setContextClassLoader(new SubmitterLoader(submitter));
        inheritable.set("from-" + submitter);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        TaskHandle[] victims = new TaskHandle[4];
        int base = submitter * TASKS_PER_SUBMITTER;
        for (int i = 0; i < TASKS_PER_SUBMITTER; i++) {
            int id = base + i;
            boolean inherit = (id & 1) == 0;
            boolean victim = id % VICTIM_EVERY == 0;
            String name = (id % 3 == 0) ? null : "t" + (id % 7);
            String expectedInheritable = inherit ? "from-" + submitter : null;
            // A fresh thread gets the submitter's loader when it inherits, the system loader otherwise.
            ClassLoader expectedLoader = inherit ? loader : ClassLoader.getSystemClassLoader();
            TaskHandle h = r.start(() -> runTask(id, victim, name, expectedInheritable, expectedLoader), name, null, inherit);
            if (victim) {
                victims[(i / VICTIM_EVERY) & 3] = h;
            }
            if (i % VICTIM_EVERY == 8) {
                TaskHandle old = victims[((i / VICTIM_EVERY) + 3) & 3];
                if (old != null) {
                    old.interrupt(); // maybe still running, maybe long done (then it must be a no-op)
                }
            }
        }
    }

    private void runTask(int id, boolean victim, String name, String expectedInheritable, ClassLoader loader) {
        Thread me = Thread.currentThread();
        if (runs.incrementAndGet(id) != 1) {
            violation("task " + id + " ran twice");
        }
        if (local.get() != null) {
            violation("ThreadLocal leaked into task " + id);
        }
        if (!Objects.equals(inheritable.get(), expectedInheritable)) {
            violation("InheritableThreadLocal " + inheritable.get() + " in task " + id + ", expected " + expectedInheritable);
        }
        if (!victim && me.isInterrupted()) {
            violation("interrupt leaked into task " + id);
        }
        if (!me.getName().equals(name == null ? "" : name)) {
            violation("name " + me.getName() + " in task " + id);
        }
        if (me.getContextClassLoader() != loader) {
            violation("context class loader leaked into task " + id);
        }
        if (!me.isVirtual()) {
            violation("task " + id + " on a platform thread");
        }
        if (id % 1024 == 0) {
            Thread.yield(); // some tasks unmount mid-way
        }
        // dirt for whoever runs next on this thread
        local.set("dirty");
        inheritable.set("dirty");
        me.setContextClassLoader(null);
        me.setName("dirty");
        me.interrupt();
        finished.incrementAndGet();
    }

    private void violation(String what) {
        violations.incrementAndGet();
        firstViolation.compareAndSet(null, what);
    }

    private static final class SubmitterLoader extends ClassLoader {
        SubmitterLoader(int submitter) {
            super("submitter-" + submitter, null);
        }
    }
}
