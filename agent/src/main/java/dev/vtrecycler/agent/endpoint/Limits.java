package dev.vtrecycler.agent.endpoint;

import java.time.Duration;

/**
 * What a connection may cost the endpoint.
 *
 * @param maxConnections   open connections at most; a new one beyond it closes the connection that
 *                         has been idle longest (waiting for, or still sending, a request)
 * @param requestDeadline  from accept (TLS handshake included), or from a kept-alive connection's
 *                         next first byte, to a complete request with its body
 * @param keepAliveTimeout how long a kept-alive connection may wait for its next request
 * @param responseDeadline how long serving one request may take, writing included (a client that
 *                         does not read its answer is cut off)
 */
public record Limits(int maxConnections, Duration requestDeadline, Duration keepAliveTimeout, Duration responseDeadline) {

    /**
     * Prometheus sends its request at once and scrapes every 15-60 s over one kept-alive
     * connection; a handful of scrapers and humans need far fewer than 32 connections.
     */
    public static final Limits DEFAULT = new Limits(32, Duration.ofSeconds(5), Duration.ofSeconds(120), Duration.ofSeconds(30));
}
