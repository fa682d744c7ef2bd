package dev.vtrecycler.agent.endpoint;

/**
 * Where a connection is in its life. Each phase has one deadline for the whole phase, set when the
 * phase begins ({@link ConnectionTable#enter}); the reaper closes a connection past it. Only a
 * connection whose route is working (or that has just begun writing its answer) is protected from
 * eviction: anything waiting on the client, or on a queue, costs the endpoint nothing to drop.
 */
enum Phase {
    /** Reading a request (or doing the TLS handshake): waiting on the client. */
    REQUEST,
    /** Kept alive between requests. */
    IDLE,
    /** A route is working on the request. */
    SERVING,
    /** A route waits its turn for bcrypt: a queue wait, not work. */
    AUTH_WAIT,
    /** Writing a response; evictable once it has waited on the client for {@link Limits#WRITE_STALL}. */
    WRITING,
    /** Lingering close: answered, draining what the client still sends. */
    CLOSING;

    /** Whether a connection in this phase since {@code since} may be closed to make room, at {@code now}. */
    boolean evictable(long since, long now) {
        return switch (this) {
            case SERVING -> false;
            case WRITING -> now - since >= Limits.WRITE_STALL.toNanos();
            default -> true;
        };
    }
}
