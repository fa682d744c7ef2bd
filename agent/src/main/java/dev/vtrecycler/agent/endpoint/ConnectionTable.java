package dev.vtrecycler.agent.endpoint;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The open connections, their phases and deadlines, under one lock. A handful of entries and a
 * few phase changes per request: a lock is simpler than anything lock-free and costs nothing here.
 */
final class ConnectionTable {
    private final Limits limits;
    private final List<Connection> open = new ArrayList<>();

    ConnectionTable(Limits limits) {
        this.limits = limits;
    }

    Limits limits() {
        return limits;
    }

    /**
     * Admits a new connection (phase {@link Phase#REQUEST}, the request deadline running from now).
     * Over the per-client cap, the client's own evictable connection that has been in its phase
     * longest makes room; over the total cap, anyone's. False when every candidate is working (the
     * new one is then refused).
     */
    synchronized boolean admit(Connection c, long now) {
        if (limited(c.client) && countFrom(c.client) >= limits.maxConnectionsPerClient()
                && !evictOne(c.client)) {
            return false;
        }
        if (open.size() >= limits.maxConnections() && !evictOne(null)) {
            return false;
        }
        open.add(c);
        c.open = true;
        set(c, Phase.REQUEST, now, limits.requestTimeout().toNanos());
        return true;
    }

    /**
     * The connection enters {@code phase} (not {@link Phase#WRITING}: see {@link #writing}); its
     * deadline is the phase's own, from now. False if it was closed (evicted or expired) before.
     */
    synchronized boolean enter(Connection c, Phase phase, long now) {
        long allowed = switch (phase) {
            case REQUEST -> limits.requestTimeout().toNanos();
            case IDLE -> limits.keepAliveTimeout().toNanos();
            case SERVING, WAITING -> limits.responseTimeout().toNanos();
            case CLOSING -> Limits.LINGER.toNanos();
            case WRITING -> throw new IllegalArgumentException("writing needs a size");
        };
        set(c, phase, now, allowed);
        return c.open;
    }

    /** The connection starts writing a response of about {@code bytes}; false if it was closed before. */
    synchronized boolean writing(Connection c, long bytes, long now) {
        set(c, Phase.WRITING, now, Limits.writeNanos(bytes));
        c.answered = true;
        return c.open;
    }

    private static void set(Connection c, Phase phase, long now, long allowed) {
        c.phase = phase;
        c.since = now;
        c.deadline = now + allowed;
    }

    synchronized void remove(Connection c) {
        open.remove(c);
        c.open = false;
    }

    /** Closes every connection past its deadline; returns how many. */
    synchronized int expire(long now) {
        int closed = 0;
        for (int i = open.size() - 1; i >= 0; i--) {
            Connection c = open.get(i);
            if (now - c.deadline >= 0) {
                open.remove(i);
                close(c);
                closed++;
            }
        }
        return closed;
    }

    synchronized int size() {
        return open.size();
    }

    synchronized void closeAll() {
        for (Connection c : open) {
            close(c);
        }
        open.clear();
    }

    /**
     * Evicts an evictable connection (from {@code client}, or anyone's if null): one that has had an
     * answer before one still on its first request, then the one longest in its phase. A new
     * connection gets its first request through even while answered ones churn around it: under a
     * flood of reconnecting attackers a well-behaved scraper's connection, in the middle of a slow
     * TLS handshake, would otherwise be the oldest and go.
     */
    private boolean evictOne(InetAddress client) {
        Connection victim = null;
        for (Connection x : open) {
            if ((client == null || client.equals(x.client)) && x.phase.evictable()
                    && (victim == null || goesBefore(x, victim))) {
                victim = x;
            }
        }
        if (victim == null) {
            return false;
        }
        open.remove(victim);
        close(victim);
        return true;
    }

    private static boolean goesBefore(Connection x, Connection y) {
        return x.answered != y.answered ? x.answered : x.since - y.since < 0;
    }

    private int countFrom(InetAddress client) {
        int n = 0;
        for (Connection x : open) {
            if (client.equals(x.client)) {
                n++;
            }
        }
        return n;
    }

    /** Loopback is exempt from the per-client cap: a local process has cheaper ways to hurt its host. */
    private static boolean limited(InetAddress client) {
        return client != null && !client.isLoopbackAddress();
    }

    private static void close(Connection c) {
        c.open = false;
        c.evict();
    }
}
