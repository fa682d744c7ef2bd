package dev.vtrecycler.agent.diagnostics;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every live thread, virtual ones included, as {@code Thread} objects: the tree of thread
 * containers that the JDK's thread dump walks ({@code jdk.internal.vm.ThreadContainers}, opened to
 * the agent). No public API lists virtual threads; the deadlock check needs the objects to ask
 * {@code LockSupport.getBlocker} and the blocker's owner. Where the internals are missing, only
 * platform threads are listed (and {@link #virtualThreadsListed()} says so).
 */
final class AllThreads {
    private static final MethodHandle ROOT;
    private static final MethodHandle THREADS;
    private static final MethodHandle CHILDREN;

    static {
        MethodHandle root = null, threads = null, children = null;
        try {
            Class<?> containers = Class.forName("jdk.internal.vm.ThreadContainers", false, null);
            Class<?> container = Class.forName("jdk.internal.vm.ThreadContainer", false, null);
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            root = lookup.findStatic(containers, "root", MethodType.methodType(container));
            threads = lookup.findVirtual(container, "threads", MethodType.methodType(Stream.class));
            children = lookup.findVirtual(container, "children", MethodType.methodType(Stream.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            root = null;
        }
        ROOT = root;
        THREADS = threads;
        CHILDREN = children;
    }

    static boolean virtualThreadsListed() {
        return ROOT != null;
    }

    static List<Thread> list() {
        if (ROOT == null) {
            return platformThreads();
        }
        try {
            Set<Thread> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            walk(ROOT.invoke(), seen, 0);
            return new ArrayList<>(seen);
        } catch (Throwable t) {
            return platformThreads();
        }
    }

    @SuppressWarnings("unchecked")
    private static void walk(Object container, Set<Thread> seen, int depth) throws Throwable {
        try (Stream<Thread> threads = (Stream<Thread>) THREADS.invoke(container)) {
            threads.forEach(seen::add);
        }
        if (depth > 64) {
            return; // containers nest as scopes do; this deep is a cycle we do not follow
        }
        List<Object> children;
        try (Stream<Object> s = (Stream<Object>) CHILDREN.invoke(container)) {
            children = s.toList();
        }
        for (Object child : children) {
            walk(child, seen, depth + 1);
        }
    }

    private static List<Thread> platformThreads() {
        return new ArrayList<>(Thread.getAllStackTraces().keySet());
    }

    private AllThreads() {}
}
