package dev.vtrecycler.demo.serve;

import dev.vtrecycler.demo.cli.NamedChoice;

/**
 * What every server does for one request, the same on each so that CPU and bytes per request
 * compare across servers: {@link #DEMO} does a little of what services do (some CPU, then a short
 * wait that unmounts the virtual thread, as a database call would); {@link #EMPTY} does nothing, so
 * the server's own per-request cost (and the agent's share of it) is all there is to measure.
 * Either way the body is one short line that says whether it ran on a virtual thread.
 */
public enum RequestWork {
    DEMO("demo", "count the primes below 2,000, sleep 2 ms"),
    EMPTY("empty", "no work");

    private final String key;
    private final String description;

    RequestWork(String key, String description) {
        this.key = key;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String description() {
        return description;
    }

    /** Does the work on the calling thread; returns the response body. */
    String perform() throws InterruptedException {
        boolean virtual = Thread.currentThread().isVirtual();
        if (this == EMPTY) {
            return "ok, virtual thread: " + virtual + "\n";
        }
        int primes = countPrimesBelow(2_000);
        Thread.sleep(2);
        return "primes below 2000: " + primes + ", virtual thread: " + virtual + "\n";
    }

    static int countPrimesBelow(int limit) {
        int count = 0;
        for (int n = 2; n < limit; n++) {
            boolean prime = true;
            for (int d = 2; d * d <= n; d++) {
                if (n % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                count++;
            }
        }
        return count;
    }

    /** "demo" or "empty"; throws IllegalArgumentException naming what is allowed. */
    public static RequestWork parse(String key) {
        return NamedChoice.parse(values(), RequestWork::key, key);
    }

    public static String keys() {
        return NamedChoice.names(values(), RequestWork::key);
    }
}
