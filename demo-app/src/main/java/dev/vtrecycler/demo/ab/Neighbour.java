package dev.vtrecycler.demo.ab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A CPU-bound neighbour: a separate JVM whose {@code threads} platform threads do nothing but
 * arithmetic (no I/O, no sockets, no allocation in the loop), the way another service or a build
 * sharing the machine takes cores from the server. {@code service-ab --neighbour N} starts one for
 * each server run and stops it after the run. It stops by itself when its standard input closes
 * (its parent died) or after {@link #MAX_LIFETIME_MINUTES}, so it never outlives a measurement.
 */
public final class Neighbour {
    static final long MAX_LIFETIME_MINUTES = 60;
    /** Keeps the loop's result alive, so the JIT cannot drop the work. */
    static volatile long sink;

    private Neighbour() {}

    /** args: the number of busy threads. */
    public static void main(String[] args) throws InterruptedException {
        int threads = Integer.parseInt(args[0]);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(MAX_LIFETIME_MINUTES);
        List<Thread> busy = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(() -> spin(deadline), "neighbour-" + i);
            thread.setDaemon(true);
            thread.start();
            busy.add(thread);
        }
        System.out.println("neighbour: " + threads + " busy threads");
        System.out.flush();
        try {
            while (System.in.read() >= 0 && System.nanoTime() < deadline) {
                // nothing is sent: read() returns -1 when the parent closes the pipe or dies
            }
        } catch (IOException e) {
            // the pipe broke: the parent is gone
        }
        System.exit(0); // daemon threads end with the JVM
    }

    private static void spin(long deadline) {
        long x = Thread.currentThread().threadId() | 1;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 1_000_000; i++) {
                x ^= x << 13; // xorshift: pure ALU work that the JIT cannot fold away
                x ^= x >>> 7;
                x ^= x << 17;
            }
            sink = x;
        }
    }
}
