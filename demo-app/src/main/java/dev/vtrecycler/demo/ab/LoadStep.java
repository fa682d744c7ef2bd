package dev.vtrecycler.demo.ab;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One load step against the server: either a fixed request rate, open loop, or as fast as the server
 * takes them with a fixed number of requests in flight.
 *
 * <p>Fixed rate, without coordinated omission: request {@code i} is due at {@code start + i/rate}
 * whatever happened to the earlier ones, each is sent from its own virtual thread of this JVM, and
 * its latency runs from that intended send time, not from when it actually went out. A server that
 * stalls for 100 ms therefore shows up as 100 ms of queued requests, as users would feel it, instead
 * of as one slow request (a closed-loop generator waits with its next request and omits the rest).
 *
 * <p>Max: {@code inFlight} virtual threads, each sending its next request as soon as the previous one
 * is answered (what wrk does); the figure that matters is the achieved rate, and latency runs from
 * the actual send, as there is no schedule to fall behind.
 */
final class LoadStep {
    /** What one step measured in this JVM; latencies in nanoseconds. */
    record Outcome(Histogram latency, long completed, long errors, long elapsedNanos, String lastError) {
        double achievedPerSecond() {
            return elapsedNanos <= 0 ? 0 : completed * 1e9 / elapsedNanos;
        }

        /** Two slices of one step as one: latencies merged, counts and load time summed. */
        Outcome plus(Outcome other) {
            Histogram merged = latency.copy();
            merged.add(other.latency);
            return new Outcome(merged, completed + other.completed, errors + other.errors,
                    elapsedNanos + other.elapsedNanos, other.lastError != null ? other.lastError : lastError);
        }
    }

    /**
     * Keep-alive connections to one server, kept from the warm-up through every step. Opening
     * hundreds at the start of each step instead overflowed the listen backlog: dropped SYNs, retried
     * by TCP after 1 s, showed up as a 1 s p99.9 that had nothing to do with the server's work.
     */
    static final class Connections implements AutoCloseable {
        private final int port;
        private final ConcurrentLinkedDeque<KeepAliveConnection> idle = new ConcurrentLinkedDeque<>();
        private final LongAdder opened = new LongAdder();

        Connections(int port) {
            this.port = port;
        }

        int port() {
            return port;
        }

        /** A new connection, not from the pool: the resend after a stale one. */
        KeepAliveConnection fresh() throws IOException {
            opened.increment();
            return new KeepAliveConnection(port);
        }

        KeepAliveConnection take() throws IOException {
            KeepAliveConnection connection = idle.pollFirst();
            if (connection != null) {
                return connection;
            }
            opened.increment();
            return new KeepAliveConnection(port);
        }

        /** How many connections were ever opened. */
        long opened() {
            return opened.sum();
        }

        void giveBack(KeepAliveConnection connection) {
            if (connection.reusable()) {
                idle.addFirst(connection);
            } else {
                connection.close();
            }
        }

        @Override
        public void close() {
            for (KeepAliveConnection c; (c = idle.pollFirst()) != null; ) {
                c.close();
            }
        }
    }

    private final Connections connections;
    private final String path;
    private final Recorder recorder = new Recorder(3);
    private final LongAdder completed = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLong lastCompletion = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();

    private LoadStep(Connections connections, String path) {
        this.connections = connections;
        this.path = path;
    }

    /**
     * {@code maxInFlight}: requests out at once, as wrk2's {@code -c}; a request due while all are out
     * waits for one to come back, and the wait counts in its latency. The bound is the server's too:
     * with 512 allowed, a server that fell behind at 5,000/s held 512 connections with their buffers,
     * and every Spring Boot, Tomcat and Jetty JVM ran out of a 48 MB heap, with or without the agent.
     */
    static Outcome fixedRate(Connections connections, String path, int ratePerSecond, Duration duration,
                             int maxInFlight) throws InterruptedException {
        LoadStep step = new LoadStep(connections, path);
        Semaphore inFlight = new Semaphore(maxInFlight);
        long count = ratePerSecond * duration.toSeconds();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0; i < count; i++) {
                long intended = start + i * 1_000_000_000L / ratePerSecond;
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // late wake-ups are fine: latency still runs from `intended`
                }
                senders.execute(() -> step.sendOne(intended, inFlight));
            }
        } // close() waits for every request: the step ends when its last response is in
        return step.outcome(start);
    }

    static Outcome max(Connections connections, String path, int inFlight, Duration duration)
            throws InterruptedException {
        LoadStep step = new LoadStep(connections, path);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < inFlight; i++) {
                senders.execute(() -> {
                    while (System.nanoTime() < end) {
                        step.sendOne(System.nanoTime(), null);
                    }
                });
            }
        }
        return step.outcome(start);
    }

    /** One GET over a pooled connection; {@code inFlight} (may be null) bounds how many are out at once. */
    private void sendOne(long intendedNanos, Semaphore inFlight) {
        try {
            if (inFlight != null) {
                inFlight.acquire();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        KeepAliveConnection connection = null;
        try {
            connection = connections.take();
            try {
                connection.get(path);
            } catch (KeepAliveConnection.StaleConnection stale) {
                connection.close();
                connection = connections.fresh();
                connection.get(path);
            }
            long now = System.nanoTime();
            recorder.recordValue(Math.max(0, now - intendedNanos));
            completed.increment();
            lastCompletion.accumulateAndGet(now, Math::max);
        } catch (IOException | RuntimeException e) {
            errors.increment();
            lastError.set(e.toString());
        } finally {
            if (connection != null) {
                connections.giveBack(connection);
            }
            if (inFlight != null) {
                inFlight.release();
            }
        }
    }

    private Outcome outcome(long start) {
        long end = lastCompletion.get() == 0 ? System.nanoTime() : lastCompletion.get();
        return new Outcome(recorder.getIntervalHistogram(), completed.sum(), errors.sum(), end - start, lastError.get());
    }

    /** One GET (e.g. the server's {@code /-/stats} line) over a connection of its own; returns the body. */
    static String fetch(int port, String path) throws IOException {
        try (KeepAliveConnection connection = new KeepAliveConnection(port)) {
            return connection.get(path);
        }
    }
}
