package dev.vtrecycler.demo.ab;

import dev.vtrecycler.demo.compare.ChildOutput;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's {@code serve} in a child JVM: started, asked for its port (from its "listening on"
 * line), stopped (SIGTERM, so its shutdown hook runs; killed if it lingers). The agent's
 * {@code [vtrecycler]} lines and its "listening on" line become progress; the last stderr lines are
 * kept for a failure message.
 */
final class ServerJvm implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("^serve: listening on http://127\\.0\\.0\\.1:(\\d+)/");
    /** The agent's start line, e.g. "[vtrecycler] 0.1.0 active: mode=recycle, ..., metrics on http://127.0.0.1:40123/metrics". */
    private static final Pattern METRICS = Pattern.compile("^\\[vtrecycler\\] .*metrics on (http://\\S+/metrics)");
    private static final int TAIL = 12;

    private final Process process;
    private final ChildOutput.Tail stderrTail = new ChildOutput.Tail(TAIL);
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    /** Where the agent serves its metrics; null without the agent (or before its start line). */
    private volatile String metricsUrl;
    /** Stops the server if this JVM is stopped first (Ctrl-C on service-ab): no orphaned servers. */
    private final Thread killOnExit;

    private ServerJvm(Process process, Consumer<String> progress) {
        this.process = process;
        this.killOnExit = new Thread(process::destroyForcibly, "service-ab-server-kill");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        ChildOutput.pump(process.getInputStream(), line -> parsePort(line).ifPresent(p -> {
            port.complete(p);
            progress.accept(line); // says how many processors the server has: pinned or not
        }), "service-ab-server-output");
        ChildOutput.pump(process.getErrorStream(), line -> {
            stderrTail.add(line);
            if (line.startsWith("[vtrecycler]")) {
                parseMetricsUrl(line).ifPresent(url -> metricsUrl = url);
                progress.accept(line);
            }
        }, "service-ab-server-output");
    }

    static ServerJvm start(List<String> command, Consumer<String> progress) throws IOException {
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        return new ServerJvm(process, progress);
    }

    /** The port from {@code serve}'s first line, e.g. "serve: listening on http://127.0.0.1:40123/ (...)". */
    static OptionalInt parsePort(String line) {
        Matcher m = LISTENING.matcher(line);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** The metrics URL from the agent's start line. */
    static java.util.Optional<String> parseMetricsUrl(String line) {
        Matcher m = METRICS.matcher(line);
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    /**
     * The agent's {@code /metrics} URL, once its start line was read (it prints it before the
     * application's main runs, so it is there once the server listens); null without the agent.
     */
    String metricsUrl() {
        return metricsUrl;
    }

    /** Waits for the server to listen; throws with its last stderr lines if it exits or takes too long. */
    int awaitPort(long timeoutSeconds) throws IOException, InterruptedException {
        process.onExit().thenRun(() -> port.completeExceptionally(new IOException("exited with " + process.exitValue())));
        try {
            return port.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IOException("the server did not start (" + (e instanceof TimeoutException
                    ? "no port within " + timeoutSeconds + " s" : e.getCause().getMessage()) + ")" + tail());
        }
    }

    String tail() {
        return stderrTail.describe("");
    }

    @Override
    public void close() throws InterruptedException {
        stop(10);
    }

    /** SIGTERM, so shutdown hooks run and a JVM dumping a CDS archive at exit finishes it; killed after the timeout. */
    boolean stop(long timeoutSeconds) throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it kills the server anyway
        }
        process.destroy();
        if (process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            return true;
        }
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        return false;
    }
}
