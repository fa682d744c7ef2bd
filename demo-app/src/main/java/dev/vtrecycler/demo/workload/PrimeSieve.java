package dev.vtrecycler.demo.workload;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The seed's concurrent prime sieve (Go's {@code doc/play/sieve.go}): a generator virtual thread
 * sends 2, 3, 4, ... down an unbuffered {@link SyncChannel}; for each prime read, a new filter
 * virtual thread is started between the last channel and a new one, dropping multiples of that
 * prime. Nothing is ever shared between threads but channels, so the threads are unobservable: the
 * agent may run them on recycled threads.
 *
 * <p>Shutdown, which Go's demo skips: once the n-th prime is read the caller raises {@code stop};
 * the generator then sends the poison value -1, which every filter forwards before returning, and
 * the caller drains the last channel until it sees it, then waits for every thread's exit count.
 */
public final class PrimeSieve {
    private static final int POISON = -1;

    private PrimeSieve() {}

    /** The n-th prime (n >= 1), with threads started by {@code Thread.startVirtualThread(r);}. */
    public static int run(int n) {
        Shared shared = new Shared();
        SyncChannel ch = new SyncChannel();
        Runnable generator = new Generator(ch, shared);
        shared.started();
        Thread.startVirtualThread(generator); // result discarded on purpose: the agent may route this call
        int prime = 0;
        for (int i = 1; i <= n; i++) {
            prime = ch.receive();
            if (i == n) {
                break;
            }
            SyncChannel next = new SyncChannel();
            Runnable filter = new Filter(ch, next, prime, shared);
            shared.started();
            Thread.startVirtualThread(filter); // result discarded on purpose: the agent may route this call
            ch = next;
        }
        shared.shutDown(ch);
        return prime;
    }

    /** As {@link #run(int)}, with every thread started by {@code spawner} (benchmarks). */
    public static int run(int n, Consumer<Runnable> spawner) {
        Shared shared = new Shared();
        SyncChannel ch = new SyncChannel();
        shared.started();
        spawner.accept(new Generator(ch, shared));
        int prime = 0;
        for (int i = 1; i <= n; i++) {
            prime = ch.receive();
            if (i == n) {
                break;
            }
            SyncChannel next = new SyncChannel();
            shared.started();
            spawner.accept(new Filter(ch, next, prime, shared));
            ch = next;
        }
        shared.shutDown(ch);
        return prime;
    }

    /** The stop flag and the live-thread count of one run. */
    private static final class Shared {
        volatile boolean stop;
        final AtomicInteger alive = new AtomicInteger();
        volatile Thread owner;

        void started() {
            alive.incrementAndGet();
        }

        void exited() {
            if (alive.decrementAndGet() == 0) {
                LockSupport.unpark(owner);
            }
        }

        void shutDown(SyncChannel last) {
            owner = Thread.currentThread();
            stop = true;
            while (last.receive() != POISON) {
                // drain the candidates already in flight
            }
            while (alive.get() != 0) {
                LockSupport.park(this);
            }
        }
    }

    private static final class Generator implements Runnable {
        private final SyncChannel out;
        private final Shared shared;

        Generator(SyncChannel out, Shared shared) {
            this.out = out;
            this.shared = shared;
        }

        @Override
        public void run() {
            try {
                for (int i = 2; !shared.stop; i++) {
                    out.send(i);
                }
                out.send(POISON);
            } finally {
                shared.exited();
            }
        }
    }

    private static final class Filter implements Runnable {
        private final SyncChannel in;
        private final SyncChannel out;
        private final int prime;
        private final Shared shared;

        Filter(SyncChannel in, SyncChannel out, int prime, Shared shared) {
            this.in = in;
            this.out = out;
            this.prime = prime;
            this.shared = shared;
        }

        @Override
        public void run() {
            try {
                for (;;) {
                    int v = in.receive();
                    if (v == POISON) {
                        out.send(POISON);
                        return;
                    }
                    if (v % prime != 0) {
                        out.send(v);
                    }
                }
            } finally {
                shared.exited();
            }
        }
    }
}
