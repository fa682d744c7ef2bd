package dev.vtrecycler.agent.endpoint;

/**
 * What a route may tell or ask the connection a request came on. A wait in a queue (for bcrypt,
 * for a scrape under way) is not work: the connection may be evicted or expire meanwhile, which
 * interrupts the waiting thread. Failed password checks are counted per connection.
 */
interface ConnectionHooks {
    /** From now on the connection is waiting, and evictable. */
    void waiting();

    /** Working again; false if the connection was closed meanwhile (the route should give up). */
    boolean working();

    /** Counts a failed password check on this connection; returns how many there have been. */
    int passwordFailed();

    /** For requests that no connection waits on (tests). */
    ConnectionHooks NONE = new ConnectionHooks() {
        @Override public void waiting() {}

        @Override public boolean working() {
            return true;
        }

        @Override public int passwordFailed() {
            return 1;
        }
    };
}
