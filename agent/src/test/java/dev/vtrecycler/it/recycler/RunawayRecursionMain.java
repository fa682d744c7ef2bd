package dev.vtrecycler.it.recycler;

/**
 * Issue 11, bug 5: a recursion that starts a virtual thread (result discarded, so the agent routes
 * it to the recycler) at every level. Without the agent it ends in StackOverflowError; with it, it
 * must too, and neither run may grow the heap without bound (run with a small -Xmx: running out of
 * heap instead of stack is the failure).
 */
public final class RunawayRecursionMain {
    private static final Runnable NOTHING = () -> { };
    private static int depth;

    public static void main(String[] args) throws Exception {
        Thread.ofVirtual().start(() -> {
            try {
                recurse();
                System.out.println("CASE runaway ended without error");
            } catch (StackOverflowError e) {
                System.out.println("CASE runaway StackOverflowError");
                System.out.println("DEPTH " + depth);
            } catch (OutOfMemoryError e) {
                System.out.println("CASE runaway OutOfMemoryError");
            }
        }).join();
        // The overflow struck somewhere in the submit path: the pools must still work (no carrier
        // left pinned, no lock left held, no task lost).
        java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
        Thread.ofVirtual().start(() -> {
            try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 1000; i++) {
                    executor.execute(() -> {
                        ran.incrementAndGet();
                        Thread.yield();
                    });
                }
            }
        }).join();
        System.out.println("CASE afterwards " + ran.get() + " tasks ran");
        System.out.println("STAT tasks " + (LooksNewMain.stat("tasksFromNew") + LooksNewMain.stat("tasksFromLocal")
                + LooksNewMain.stat("tasksFromGlobal")));
        System.out.println("DONE");
    }

    private static void recurse() {
        depth++;
        Thread.startVirtualThread(NOTHING);
        recurse();
    }
}
