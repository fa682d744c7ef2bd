package dev.vtrecycler.demo.workload;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * An unbuffered (rendezvous) int channel between ONE sender thread and ONE receiver thread, like
 * Go's {@code make(chan int)} used the way the prime sieve uses it. It allocates nothing per
 * transfer (Go's channel does not either), so a benchmark over it measures threads, not queue nodes.
 *
 * <p>As in Go's {@code chansend}/{@code chanrecv}: a send that finds the receiver waiting hands the
 * value over and returns at once (the receiver is made runnable); otherwise the sender parks with
 * its value until the receiver takes it. A receive that finds a sender waiting takes the value and
 * wakes the sender; otherwise it parks until a value is delivered.
 *
 * <p>States: EMPTY; SENDER_WAITING (value in the slot, sender parked or about to park);
 * RECEIVER_WAITING (receiver parked or about to park); DELIVERED (value handed to a waiting
 * receiver that has not taken it yet); DELIVERED_SENDER_WAITING (a next sender waits for that).
 * Every transition is one CAS by the side that owns it; the value and the thread fields are
 * written before the CAS that publishes them. Parks loop on the state, so spurious wake-ups and
 * an unpark that lands before the park are harmless.
 */
public final class SyncChannel {
    private static final int EMPTY = 0;
    private static final int SENDER_WAITING = 1;
    private static final int RECEIVER_WAITING = 2;
    private static final int DELIVERED = 3;
    private static final int DELIVERED_SENDER_WAITING = 4;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(SyncChannel.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int state = EMPTY;
    private int value;
    private Thread sender;
    private Thread receiver;

    /** Blocks until the receiver has the value (or is runnable with it, as in Go). */
    public void send(int v) {
        Thread me = Thread.currentThread();
        for (;;) {
            int s = state;
            switch (s) {
                case RECEIVER_WAITING -> {
                    value = v;
                    if (STATE.compareAndSet(this, RECEIVER_WAITING, DELIVERED)) {
                        LockSupport.unpark(receiver);
                        return;
                    }
                }
                case EMPTY -> {
                    value = v;
                    sender = me;
                    if (STATE.compareAndSet(this, EMPTY, SENDER_WAITING)) {
                        while (state == SENDER_WAITING) {
                            LockSupport.park(this);
                        }
                        return;
                    }
                }
                case DELIVERED -> {
                    sender = me;
                    if (STATE.compareAndSet(this, DELIVERED, DELIVERED_SENDER_WAITING)) {
                        while (state == DELIVERED_SENDER_WAITING) {
                            LockSupport.park(this);
                        }
                    }
                }
                default -> throw new IllegalStateException("more than one sender on a SyncChannel (state " + s + ")");
            }
        }
    }

    /** Blocks until a value is sent. */
    public int receive() {
        Thread me = Thread.currentThread();
        for (;;) {
            int s = state;
            if (s == SENDER_WAITING) {
                int v = value;
                if (STATE.compareAndSet(this, SENDER_WAITING, EMPTY)) {
                    LockSupport.unpark(sender);
                    return v;
                }
            } else if (s == EMPTY) {
                receiver = me;
                if (STATE.compareAndSet(this, EMPTY, RECEIVER_WAITING)) {
                    int d;
                    while ((d = state) == RECEIVER_WAITING) {
                        LockSupport.park(this);
                    }
                    // d is DELIVERED or DELIVERED_SENDER_WAITING: only we leave those
                    int v = value;
                    if (d == DELIVERED_SENDER_WAITING || !STATE.compareAndSet(this, DELIVERED, EMPTY)) {
                        state = EMPTY; // it was (or became) DELIVERED_SENDER_WAITING: nobody else moves it
                        LockSupport.unpark(sender);
                    }
                    return v;
                }
            } else {
                throw new IllegalStateException("more than one receiver on a SyncChannel (state " + s + ")");
            }
        }
    }
}
