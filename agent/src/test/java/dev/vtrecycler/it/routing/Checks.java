package dev.vtrecycler.it.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs named checks in a forked program and reports each on stdout as {@code CHECK PASS <name>} or
 * {@code CHECK FAIL <name>: <error>}, then {@code RESULT ok|failed}; the IT reads those lines.
 */
final class Checks {
    private final List<String> failed = new ArrayList<>();
    private int passed;

    void run(String name, ExecutorContract.Check check) {
        try {
            check.run();
            passed++;
            System.out.println("CHECK PASS " + name);
        } catch (Throwable e) {
            failed.add(name);
            System.out.println("CHECK FAIL " + name + ": " + e.toString().replace('\n', ' '));
            e.printStackTrace(System.out);
        }
    }

    /** Prints the result line and exits: 0 if every check passed. */
    void finish() {
        finish(false);
    }

    /**
     * As {@link #finish()}; with {@code hold}, prints {@code HOLD} after the result and waits for a
     * line on stdin first, so the IT can scrape this JVM's metrics endpoint while it is alive.
     */
    void finish(boolean hold) {
        System.out.println("COUNTERS " + BootCounters.summary());
        System.out.println("RESULT " + (failed.isEmpty() ? "ok" : "failed") + " passed=" + passed + " failed=" + failed);
        if (hold) {
            System.out.println("HOLD");
            System.out.flush();
            try {
                new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
            } catch (java.io.IOException ignore) {
                // stdin closed: exit anyway
            }
        }
        System.out.flush();
        System.exit(failed.isEmpty() ? 0 : 1);
    }
}
