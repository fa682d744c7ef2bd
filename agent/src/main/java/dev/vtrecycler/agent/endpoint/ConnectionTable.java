package dev.vtrecycler.agent.endpoint;

import java.util.ArrayList;
import java.util.List;

/**
 * The open connections, their state and deadlines, under one lock. A handful of entries and a
 * few state changes per request: a lock is simpler than anything lock-free and costs nothing here.
 */
final class ConnectionTable {
    private final Limits limits;
    private final List<Connection> open = new ArrayList<>();

    ConnectionTable(Limits limits) {
        this.limits = limits;
    }

    /**
     * Admits a new connection; when full, closes the idle connection that has waited longest to
     * make room. False when every open connection is busy serving (the new one is then refused).
     */
    synchronized boolean admit(Connection c, long now) {
        if (open.size() >= limits.maxConnections()) {
            Connection oldest = null;
            for (Connection x : open) {
                if (!x.busy && (oldest == null || x.idleSince - oldest.idleSince < 0)) {
                    oldest = x;
                }
            }
            if (oldest == null) {
                return false;
            }
            open.remove(oldest);
            oldest.abort();
        }
        c.busy = false;
        c.idleSince = now;
        c.deadline = now + limits.requestDeadline().toNanos();
        open.add(c);
        return true;
    }

    /** A kept-alive connection received the first byte of its next request. */
    synchronized void requestStarted(Connection c, long now) {
        c.deadline = now + limits.requestDeadline().toNanos();
    }

    /**
     * The request is complete: the connection is serving and cannot be evicted. False if it was
     * closed (evicted or expired) just before; its socket is closed then and the answer fails.
     */
    synchronized boolean serving(Connection c, long now) {
        c.busy = true;
        c.deadline = now + limits.responseDeadline().toNanos();
        return open.contains(c);
    }

    /** The response is out and the connection is kept alive for the next request. */
    synchronized void keptAlive(Connection c, long now) {
        c.busy = false;
        c.idleSince = now;
        c.deadline = now + limits.keepAliveTimeout().toNanos();
    }

    synchronized void remove(Connection c) {
        open.remove(c);
    }

    /** Closes every connection past its deadline; returns how many. */
    synchronized int expire(long now) {
        int closed = 0;
        for (int i = open.size() - 1; i >= 0; i--) {
            Connection c = open.get(i);
            if (now - c.deadline >= 0) {
                open.remove(i);
                c.abort();
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
            c.abort();
        }
        open.clear();
    }
}
