package dev.vtrecycler.bootstrap.recycler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads joining a pooled thread's running task from outside (the pooled-thread advice on
 * {@code join}): a Treiber stack, woken all at once when the task ends. Knows nothing of workers or
 * their state: {@link PooledThreads} (the join advice) pushes and re-checks the state, {@link Worker#endTask} wakes.
 */
final class TaskJoiners {
    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(TaskJoiners.class, "head", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One waiting thread. */
    static final class Node {
        final Thread thread;
        Node next;

        Node(Thread thread) {
            this.thread = thread;
        }
    }

    @SuppressWarnings("unused") // via HEAD
    private volatile Node head;

    /** Pushes the current thread (a volatile CAS: the caller re-reads the task's state after it). */
    void push(Thread waiter) {
        Node node = new Node(waiter);
        Node h;
        do {
            h = head;
            node.next = h;
        } while (!HEAD.compareAndSet(this, h, node));
    }

    /** Unparks every waiter. One volatile read when none. */
    void wakeAll() {
        if (head != null) {
            for (Node n = (Node) HEAD.getAndSet(this, null); n != null; n = n.next) {
                LockSupport.unpark(n.thread);
            }
        }
    }
}
