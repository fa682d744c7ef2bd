package dev.vtrecycler.demo.serve;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What {@code serve} does: start the server of the chosen {@link ServerKind} (and the load generator with {@code --load}), say
 * where it and {@code /metrics} are, print a status line every 10 seconds, and stop after
 * {@code durationSeconds} (0 = when the JVM is asked to stop, e.g. Ctrl-C).
 */
public final class ServeRun {
    private static final long STATUS_EVERY_SECONDS = 10;

    private ServeRun() {}

    /** "2 processors": what this JVM may run on (fewer when pinned with taskset), so its carriers. */
    static String processors() {
        int n = Runtime.getRuntime().availableProcessors();
        return n + (n == 1 ? " processor" : " processors");
    }

    public static void run(ServerKind kind, RequestWork work, RequestThreads threads, int port, boolean load, int rate,
                           int durationSeconds, PrintStream out) throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        try (DemoService server = kind.start(port, new ServedRequests(work), threads)) {
            out.println("serve: listening on http://127.0.0.1:" + server.port() + "/ (" + kind.key()
                    + ", handlers on " + threads.description() + ", " + processors() + "; work: " + work.description() + ")");
            out.println("serve: " + MetricsEndpoint.describe());
            LoadGenerator generator = null;
            if (load) {
                generator = new LoadGenerator(server.port(), kind.path(), rate);
                generator.start();
                out.println("serve: load generator sending " + rate + " requests/s on loopback");
            }
            out.println(durationSeconds > 0 ? "serve: stopping in " + durationSeconds + " s" : "serve: running until stopped (Ctrl-C)");
            out.flush();
            Thread hook = new Thread(stop::countDown, "serve-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            long deadline = durationSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds) : Long.MAX_VALUE;
            while (true) {
                long wait = Math.min(TimeUnit.SECONDS.toNanos(STATUS_EVERY_SECONDS), deadline - System.nanoTime());
                if (wait <= 0 || stop.await(wait, TimeUnit.NANOSECONDS) || System.nanoTime() >= deadline) {
                    break;
                }
                out.println(status(server, generator));
                out.flush();
            }
            if (generator != null) {
                generator.close();
            }
            out.println(status(server, generator).replace("serve: ", "serve: stopped; "));
            out.flush();
            if (durationSeconds > 0) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
    }

    static String status(DemoService server, LoadGenerator generator) {
        String text = "serve: " + server.requests().requests() + " requests, " + server.requests().onVirtualThreads()
                + " on virtual threads";
        if (generator != null) {
            text += "; load: " + generator.sent() + " sent, " + generator.failed() + " failed";
            if (generator.lastError() != null) {
                text += " (last: " + generator.lastError() + ")";
            }
        }
        return text;
    }
}
