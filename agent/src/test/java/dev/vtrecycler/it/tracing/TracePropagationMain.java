package dev.vtrecycler.it.tracing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The forked program of {@link TracePropagationIT}. With argument {@code wait} it prints
 * {@code READY <pid>} after a few plain submissions and waits for {@code GO} on stdin (the IT attaches
 * an agent meanwhile); no
 * OpenTelemetry API class is loaded before that, so a dynamically attached OpenTelemetry agent
 * bridges the API exactly as at startup. Then it runs {@link TracedStyles} and prints
 * {@code ADVICE_ERRORS <n>} (vtrecycler's suppressed-error count, -1 without vtrecycler) and
 * {@code RESULT done}; with argument {@code hold} it then waits for a line on stdin before exiting
 * (the IT scrapes the metrics endpoint meanwhile).
 */
public final class TracePropagationMain {
    private TracePropagationMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("wait")) {
            warmUp();
            System.out.println("READY " + ProcessHandle.current().pid());
            String line = new BufferedReader(new InputStreamReader(System.in)).readLine();
            if (!"GO".equals(line)) {
                System.out.println("RESULT failed: expected GO, got " + line);
                System.exit(2);
            }
        }
        new TracedStyles().runAll();
        System.out.println("ADVICE_ERRORS " + adviceErrors());
        System.out.println("RESULT done");
        if (args.length > 0 && args[0].equals("hold")) {
            new BufferedReader(new InputStreamReader(System.in)).readLine();
        }
    }

    /**
     * Submissions before the attach, so that an agent attached later is found by what its arrival
     * triggers, not by a first-ever submission (vtrecycler looks for an APM agent at its first one).
     */
    private static void warmUp() throws Exception {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                executor.submit(() -> Thread.currentThread().getName()).get();
            }
        }
    }

    /** vtrecycler_advice_errors_total, read from the boot loader's copy of the agent's hooks. */
    private static long adviceErrors() throws ReflectiveOperationException {
        Class<?> hooks;
        try {
            hooks = Class.forName("dev.vtrecycler.bootstrap.VtHooks", true, null);
        } catch (ClassNotFoundException absent) {
            return -1;
        }
        Object counter = hooks.getField("ADVICE_ERRORS").get(null);
        return (long) counter.getClass().getMethod("sum").invoke(counter);
    }
}
