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
        System.out.println("COUNTERS " + BootCounters.summary());
        System.out.println("RESULT " + (failed.isEmpty() ? "ok" : "failed") + " passed=" + passed + " failed=" + failed);
        System.out.flush();
        System.exit(failed.isEmpty() ? 0 : 1);
    }
}
