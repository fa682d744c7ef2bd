package dev.vtrecycler.agent.endpoint;

/**
 * What a route tells its connection while it waits in a queue (for bcrypt): a wait is not work, so
 * the connection may be evicted or expire meanwhile, which interrupts the waiting thread.
 */
interface Waiting {
    /** From now on the connection is waiting, and evictable. */
    void begin();

    /** Working again; false if the connection was closed meanwhile (the route should give up). */
    boolean end();

    /** For requests that no connection waits on (tests). */
    Waiting NONE = new Waiting() {
        @Override public void begin() {}

        @Override public boolean end() {
            return true;
        }
    };
}
