package dev.vtrecycler.demo.serve;

import dev.vtrecycler.demo.cli.NamedChoice;

/**
 * What the server runs its handlers on ({@code serve --threads}). {@link #VIRTUAL}: the way each
 * server's documentation turns virtual threads on (the demo's point). {@link #PLATFORM}: the same
 * server on its classic pool of platform threads, made once and kept, so a request allocates only
 * what the server and the work allocate and nothing for a thread: the floor that no recycling of
 * virtual threads can go below, which {@code service-ab --configs platform-threads} measures beside
 * the agent.
 */
public enum RequestThreads {
    VIRTUAL("virtual", "virtual threads"),
    PLATFORM("platform", "platform threads (a pool)");

    /** Threads in a platform pool: Tomcat's default {@code maxThreads}, and the same for the others. */
    public static final int PLATFORM_POOL_SIZE = 200;

    private final String key;
    private final String description;

    RequestThreads(String key, String description) {
        this.key = key;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String description() {
        return description;
    }

    /** "virtual" or "platform"; throws IllegalArgumentException naming what is allowed. */
    public static RequestThreads parse(String key) {
        return NamedChoice.parse(values(), RequestThreads::key, key);
    }

    public static String keys() {
        return NamedChoice.names(values(), RequestThreads::key);
    }
}
