package dev.vtrecycler.agent.endpoint;

/**
 * Where a connection is in its life. Each phase has one deadline for the whole phase, set when the
 * phase begins ({@link ConnectionTable#enter}); the reaper closes a connection past it. Only a
 * connection whose route is working is protected from eviction: anything waiting on the client
 * (for its request, its next request, to take its answer, to go away) or on a queue costs the
 * endpoint nothing to drop. Connections that have had an answer go before those on their first
 * request, and within each the one that has been in its phase longest goes first.
 *
 * <p>Why a writer is not protected even for a moment: a client that pipelines requests and never
 * reads has its connection blocked in a write within milliseconds of connecting; 32 of them that
 * reconnect whenever they are cut off keep every slot young. Protecting young writers (for 2 s, in
 * a first version of this) refused the well-behaved scraper 15 times out of 16. A well-behaved
 * client is young in every phase (it sends at once and reads at once), so oldest-first leaves it be.
 */
enum Phase {
    /** Reading a request (or doing the TLS handshake): waiting on the client. */
    REQUEST,
    /** Kept alive between requests. */
    IDLE,
    /** A route is working on the request: the only phase that is never evicted. */
    SERVING,
    /** A route waits its turn for bcrypt, or for a scrape under way: a queue wait, not work. */
    WAITING,
    /** Writing a response: waiting on the client to take it. */
    WRITING,
    /** Lingering close: answered, draining what the client still sends. */
    CLOSING;

    /** Whether a connection in this phase may be closed to make room for a new one. */
    boolean evictable() {
        return this != SERVING;
    }
}
