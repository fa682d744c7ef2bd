package dev.vtrecycler.agent.endpoint;

import java.time.Duration;

/**
 * What a connection may cost the endpoint. Every phase of a connection has a deadline for the
 * whole phase (never per read or write), enforced by the reaper; see {@link Phase}.
 *
 * @param maxConnections           open connections at most; a new one beyond it closes the evictable
 *                                 connection that has been in its phase longest (see {@link Phase#evictable})
 * @param maxConnectionsPerClient  open connections from one client address at most (loopback exempt:
 *                                 a local process can hurt the host in cheaper ways); beyond it, the
 *                                 client's own longest-waiting evictable connection makes room
 * @param requestTimeout           from accept (TLS handshake included), or from a kept-alive
 *                                 connection's next first byte, to a complete request with its body
 * @param keepAliveTimeout         how long a kept-alive connection may wait for its next request
 * @param responseTimeout          how long a route may work on one request (bcrypt and scrape)
 * @param maxRequestsPerConnection requests served on one connection before it is closed (bounds what
 *                                 one upload of pipelined requests can make the endpoint do)
 * @param authQueue                bcrypt checks admitted at once (one runs, the others wait); a check
 *                                 beyond it is answered 503 at once
 */
public record Limits(int maxConnections, int maxConnectionsPerClient, Duration requestTimeout,
                     Duration keepAliveTimeout, Duration responseTimeout, int maxRequestsPerConnection,
                     int authQueue) {

    /**
     * Prometheus sends its request at once and scrapes every 15-60 s over one kept-alive
     * connection; a handful of scrapers and humans need far fewer than 32 connections, and one
     * client address far fewer than 8.
     */
    public static final Limits DEFAULT = new Limits(32, 8, Duration.ofSeconds(5), Duration.ofSeconds(120),
            Duration.ofSeconds(30), 100, 4);

    /** Lingering close after an error answer or a server-side close: the whole of it, not per read. */
    static final Duration LINGER = Duration.ofSeconds(1);
    /** A response write may take this long plus its size at {@link #MIN_WRITE_BYTES_PER_SECOND}. */
    static final Duration WRITE_GRACE = Duration.ofSeconds(5);
    static final long MIN_WRITE_BYTES_PER_SECOND = 16 * 1024;

    public Limits {
        if (maxConnections < 1 || maxConnectionsPerClient < 1 || maxRequestsPerConnection < 1 || authQueue < 1) {
            throw new IllegalArgumentException("connection, request and queue limits must be at least 1");
        }
    }

    /** How long writing {@code bytes} may take at most. */
    static long writeNanos(long bytes) {
        return WRITE_GRACE.toNanos() + bytes * 1_000_000_000L / MIN_WRITE_BYTES_PER_SECOND;
    }
}
