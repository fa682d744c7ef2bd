package dev.vtrecycler.bootstrap.recycler;

/**
 * Makes a pooled thread look, to the task it is about to run, as the fresh virtual thread its
 * submitter would have created; and drops what the finished task left on it.
 */
final class FreshThread {
    private FreshThread() {}

    /**
     * Makes the thread look as a fresh one created by the submitter would. Volatile writes (name is
     * even synchronized) are skipped when the value is already right: on churn every task has the
     * same name, loader and handler.
     */
    static void dressAsNew(Worker w, Thread self, String name, Thread.UncaughtExceptionHandler handler,
                           ClassLoader loader, Object inheritedMap) {
        Thread.interrupted();
        String newName = name == null ? "" : name;
        if (!newName.equals(self.getName())) {
            self.setName(newName);
        }
        if (handler != w.handlerInstalled) {
            self.setUncaughtExceptionHandler(handler); // null: the thread group, as for a fresh thread
            w.handlerInstalled = handler;
        }
        if (self.getContextClassLoader() != loader) {
            self.setContextClassLoader(loader);
        }
        if (inheritedMap != null) {
            JdkInternals.setInheritableThreadLocals(self, inheritedMap);
        }
    }

    /**
     * Drops the task's thread-locals (plain field writes) and interrupt status. The name, handler
     * and context class loader stay until the next task overwrites them: resetting them here would
     * cost three volatile writes per task; the price is that an idle pooled thread keeps its last
     * task's loader and handler reachable until reused or retired (GC drain, idle-timeout).
     */
    static void undress(Thread self) {
        JdkInternals.clearThreadLocals(self);
        JdkInternals.setInheritableThreadLocals(self, null);
        Thread.interrupted();
    }
}
