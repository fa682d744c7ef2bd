package dev.vtrecycler.it.recycler;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Run twice by {@link LooksNewIT}, with the agent (recycle, parallelism 1) and without: every
 * {@code CASE} line must be the same in both runs (what a program can see of its threads), while
 * {@code REUSE} lines show that the agent run really reused a thread (else the comparison proves
 * nothing) and {@code STAT} lines carry the agent's counters. The body runs in a virtual thread so
 * that consecutive tasks land on the same carrier's free list.
 */
public final class LooksNewMain {
    private static final List<String> defaultHandlerSaw = new CopyOnWriteArrayList<>();

    public static void main(String[] args) throws Exception {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> defaultHandlerSaw.add(e.getMessage()));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread body = Thread.ofVirtual().start(() -> {
            try {
                handlerSetByATaskDoesNotReachTheNext();
                builderHandlerSurvivesATaskThatClearedIt();
                contextClassLoader();
                joinIsAliveGetStateOfAFinishedTasksThread();
                interruptOfAFinishedTasksThread();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        body.join();
        if (failure.get() != null) {
            failure.get().printStackTrace(System.out);
            System.out.println("FAILED " + failure.get());
        }
        System.out.println("STAT foreignInterrupts " + stat("foreignInterrupts"));
        System.out.println("DONE");
        System.out.flush();
    }

    static void print(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Waits until the list holds something (the handler runs on the task's thread), at most 10 s. */
    private static void awaitNonEmpty(List<?> a, List<?> b) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (a.isEmpty() && b.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(50); // a second, wrong delivery would show up too
    }

    /** Issue 11, bug 1: task A installs a handler on its thread; task B's exception must not reach it. */
    static void handlerSetByATaskDoesNotReachTheNext() throws Exception {
        List<String> aSaw = new CopyOnWriteArrayList<>();
        taskSetsHandlerThenNextThrows(Executors.newVirtualThreadPerTaskExecutor(),
                (t, e) -> aSaw.add(e.getMessage()), "handler.setByTask", "aSaw", aSaw);
    }

    /** The reverse: a task clears its builder-given handler; the next task on the thread must have it again. */
    static void builderHandlerSurvivesATaskThatClearedIt() throws Exception {
        List<String> builderSaw = new CopyOnWriteArrayList<>();
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
                .uncaughtExceptionHandler((t, e) -> builderSaw.add(e.getMessage())).factory());
        taskSetsHandlerThenNextThrows(executor, null, "handler.builder", "builderSaw", builderSaw);
    }

    /**
     * Task A sets {@code handlerOfA} on its thread and ends; task B throws "B". Prints the {@code CASE}
     * line (what {@code watched}, named {@code watchedName}, and the default handler received) and the
     * {@code REUSE} line (whether B ran on A's thread).
     */
    private static void taskSetsHandlerThenNextThrows(ExecutorService executor, Thread.UncaughtExceptionHandler handlerOfA,
                                                      String caseName, String watchedName, List<String> watched)
            throws Exception {
        // Right after start-up B can be handed another pooled thread than A's (one that was pooled
        // before A, which awaitBackInPool cannot tell from A): the pair is tried again, up to five
        // times, and the attempt printed is the first that reused A's thread (the JDK alone: the first).
        for (int attempt = 1; ; attempt++) {
            watched.clear();
            long pooledBefore = pooled();
            Thread a = executor.submit(() -> {
                Thread.currentThread().setUncaughtExceptionHandler(handlerOfA);
                return Thread.currentThread();
            }).get();
            a.join(Duration.ofSeconds(10));
            awaitBackInPool(pooledBefore);
            defaultHandlerSaw.clear();
            AtomicReference<Thread> b = new AtomicReference<>();
            executor.execute(() -> {
                b.set(Thread.currentThread());
                throw new IllegalStateException("B");
            });
            awaitNonEmpty(watched, defaultHandlerSaw);
            boolean reused = a == b.get();
            if (reused || installedRecycler() == null || attempt == 5) {
                print("CASE " + caseName + " " + watchedName + "=" + watched + " defaultSaw=" + defaultHandlerSaw);
                print("REUSE " + caseName + " " + reused);
                return;
            }
        }
    }

    /** Bug 2: the system loader for a factory that does not inherit, the submitter's otherwise. */
    static void contextClassLoader() throws Exception {
        ClassLoader custom = new URLClassLoader("custom", new URL[0], LooksNewMain.class.getClassLoader());
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(custom);
        try {
            ExecutorService inherits = Executors.newVirtualThreadPerTaskExecutor();
            ExecutorService notInherits = Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().inheritInheritableThreadLocals(false).factory());
            for (int round = 0; round < 3; round++) { // alternate, so a reused thread meets both
                print("CASE ccl.inherits.round" + round + " "
                        + describe(inherits.submit(() -> Thread.currentThread().getContextClassLoader()).get(), custom));
                print("CASE ccl.notInherits.round" + round + " "
                        + describe(notInherits.submit(() -> Thread.currentThread().getContextClassLoader()).get(), custom));
            }
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    private static String describe(ClassLoader loader, ClassLoader custom) {
        return loader == custom ? "submitter's" : loader == ClassLoader.getSystemClassLoader() ? "system" : String.valueOf(loader);
    }

    /** Bug 3: a saved Thread of a finished task is dead for join, isAlive and getState. */
    static void joinIsAliveGetStateOfAFinishedTasksThread() throws Exception {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        Thread saved = executor.submit(Thread::currentThread).get();
        print("CASE join.duration " + saved.join(Duration.ofSeconds(20)));
        print("CASE join.afterwards alive=" + saved.isAlive() + " state=" + saved.getState());
        Thread untimed = executor.submit(Thread::currentThread).get();
        long start = System.nanoTime();
        untimed.join(20_000);
        print("CASE join.millis returnedBeforeTimeout=" + (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15)));
        Thread nanos = executor.submit(Thread::currentThread).get();
        start = System.nanoTime();
        nanos.join(20_000, 500);
        print("CASE join.millisNanos returnedBeforeTimeout=" + (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15)));

        // A discarded Thread.startVirtualThread(r) (rewritten to the recycler) whose task exposes its thread.
        BlockingQueue<Thread> exposed = new ArrayBlockingQueue<>(1);
        Thread.startVirtualThread(() -> exposed.add(Thread.currentThread()));
        Thread fireAndForget = exposed.take();
        print("CASE join.fireAndForget " + fireAndForget.join(Duration.ofSeconds(20)));

        // A program that collects its workers' threads and joins them (hung before the fix).
        List<Thread> workers = new CopyOnWriteArrayList<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(executor.submit(() -> workers.add(Thread.currentThread())));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        start = System.nanoTime();
        for (Thread w : workers) {
            w.join(20_000);
        }
        boolean allDead = workers.stream().noneMatch(Thread::isAlive);
        print("CASE join.collected returnedBeforeTimeout=" + (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15))
                + " allDead=" + allDead);

        // A task still running: join waits for it, and isAlive is true meanwhile.
        BlockingQueue<Thread> running = new ArrayBlockingQueue<>(1);
        Future<?> slow = executor.submit(() -> {
            running.add(Thread.currentThread());
            Thread.sleep(2_000); // long enough that a 20 ms join times out even on a loaded machine
            return null;
        });
        Thread live = running.take();
        print("CASE join.running alive=" + live.isAlive() + " timedOut=" + !live.join(Duration.ofMillis(20))
                + " thenEnded=" + live.join(Duration.ofSeconds(20)));
        slow.get();
    }

    /** Bug 4: an interrupt through a finished task's Thread must not reach the thread's next task. */
    static void interruptOfAFinishedTasksThread() throws Exception {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        long pooledBefore = pooled();
        Thread victim = executor.submit(Thread::currentThread).get();
        victim.join(Duration.ofSeconds(10));
        awaitBackInPool(pooledBefore);
        victim.interrupt(); // aimed at a task that has ended
        AtomicReference<Thread> next = new AtomicReference<>();
        String outcome = executor.submit(() -> {
            next.set(Thread.currentThread());
            try {
                Thread.sleep(100);
                return "slept";
            } catch (InterruptedException e) {
                return "interrupted";
            }
        }).get();
        print("CASE interrupt.afterTaskEnded nextTask=" + outcome);
        print("REUSE interrupt " + (next.get() == victim));
        // Handle-based interrupts are not foreign: Future.cancel(true) on a running task.
        BlockingQueue<Boolean> started = new ArrayBlockingQueue<>(1);
        Future<?> cancelled = executor.submit(() -> {
            started.add(true);
            Thread.sleep(20_000);
            return null;
        });
        started.take();
        print("CASE interrupt.cancel " + cancelled.cancel(true));
    }

    /**
     * With the agent, waits (at most 10 s) until the thread of the task that just ended is idle in
     * the pool again ({@code pooledBefore}: idle threads before that task was submitted), so the
     * next task can be handed it: a join returns when the task ends, a moment before its thread is
     * back in a list, and a carrier the scheduler adds meanwhile (a pinned class load) can run the
     * next submit in that moment. Without the agent it returns at once.
     */
    static void awaitBackInPool(long pooledBefore) throws InterruptedException {
        if (installedRecycler() == null) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pooled() < Math.max(1, pooledBefore) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    /** Idle pooled threads now (0 without the agent). */
    static long pooled() {
        return stat("pooledLocal") + stat("pooledGlobal");
    }

    /** A recycler counter, read reflectively from the boot loader's copy (0 without the agent). */
    static long stat(String name) {
        Object r = installedRecycler();
        if (r == null) {
            return 0;
        }
        try {
            Object stats = r.getClass().getMethod("stats").invoke(r);
            Method m = stats.getClass().getMethod(name);
            return (long) m.invoke(stats);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The boot loader's installed recycler, or null without the agent. */
    private static Object installedRecycler() {
        try {
            Class<?> recycler = Class.forName("dev.vtrecycler.bootstrap.recycler.Recycler", true, null);
            return recycler.getMethod("get").invoke(null);
        } catch (ClassNotFoundException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
