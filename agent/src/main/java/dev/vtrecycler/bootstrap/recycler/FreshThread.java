package dev.vtrecycler.bootstrap.recycler;

/**
 * Makes a pooled thread look, to the task it is about to run, as the fresh virtual thread its
 * submitter would have created; and drops what the finished task left on it.
 *
 * <p>What a fresh virtual thread has (JDK 21 and 25, {@code Thread(String, int, boolean)}): the
 * builder's name and handler; inheritable thread-locals copied from the creator and the creator's
 * context class loader when it inherits, else no inheritable map and the system class loader; no
 * thread-locals, interrupt status clear, ThreadLocalRandom seed and probe zero, no open scopes.
 */
final class FreshThread {
    private FreshThread() {}

    /** The loader a thread that does not inherit gets, and what an idle pooled thread holds. */
    private static final ClassLoader SYSTEM_LOADER = ClassLoader.getSystemClassLoader();

    /** What the submitter's fresh thread would get as context class loader. */
    static ClassLoader contextLoaderFor(Thread submitter, boolean inherits) {
        return inherits ? submitter.getContextClassLoader() : SYSTEM_LOADER;
    }

    /**
     * Makes the thread look as a fresh one created by the submitter would. Volatile writes (name is
     * even synchronized) are skipped when the value is already right: on churn every task has the
     * same name, loader and handler. Each is compared with what the thread has now, never with
     * what we last set: the task before may have changed it.
     */
    static void dressAsNew(Thread self, String name, Thread.UncaughtExceptionHandler handler,
                           ClassLoader loader, Object inheritedMap) {
        Thread.interrupted();
        String newName = name == null ? "" : name;
        if (!newName.equals(self.getName())) {
            self.setName(newName);
        }
        if (JdkInternals.handlerOf(self) != handler) {
            self.setUncaughtExceptionHandler(handler); // null: the thread group, as for a fresh thread
        }
        if (self.getContextClassLoader() != loader) {
            self.setContextClassLoader(loader);
        }
        if (inheritedMap != null) {
            JdkInternals.setInheritableThreadLocals(self, inheritedMap);
        }
    }

    /**
     * Drops what the task left: thread-locals (the map emptied in place, {@link ThreadLocalMaps}),
     * inheritable thread-locals, interrupt status,
     * ThreadLocalRandom state (plain field writes), and the handler and context class loader it ran
     * with. The last two cost a volatile write each, but only when they differ from a new thread's
     * defaults (no handler, the system loader): an idle pooled thread must not keep a web
     * application's loader, or the handler that references it, reachable after an undeploy.
     */
    static void undress(Thread self) {
        ThreadLocalMaps.clear(self);
        JdkInternals.setInheritableThreadLocals(self, null);
        JdkInternals.resetThreadLocalRandom(self);
        if (JdkInternals.handlerOf(self) != null) {
            self.setUncaughtExceptionHandler(null);
        }
        if (self.getContextClassLoader() != SYSTEM_LOADER) {
            self.setContextClassLoader(SYSTEM_LOADER);
        }
        Thread.interrupted();
    }
}
