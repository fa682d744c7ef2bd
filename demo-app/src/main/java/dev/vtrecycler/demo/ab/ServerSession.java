package dev.vtrecycler.demo.ab;

import dev.vtrecycler.demo.measure.ProcessStats;
import dev.vtrecycler.demo.serve.RequestThreads;
import dev.vtrecycler.demo.serve.ServedRequests;
import dev.vtrecycler.demo.serve.ServerKind;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One server JVM of the A/B while it runs: started and checked ({@link #start}), warmed up, then
 * one load step at a time, in one or several slices, with a {@code /-/stats} snapshot on either
 * side of each, and at the end one scrape of the agent's recycler series ({@link #finish}). {@link ServiceAb} runs sessions one after
 * another, or several at once with their steps interleaved; the session does not know which.
 */
final class ServerSession implements AutoCloseable {
    private final ServerKind server;
    private final ServiceConfig config;
    private final int round;
    private final String prefix;
    private final PrintStream progress;
    private final ServerJvm jvm;
    private final LoadStep.Connections connections;
    private final LoadAverageSampler loadAverage;
    private final Map<Load, StepResult> steps = new LinkedHashMap<>();
    private LoadStep.Outcome sliceOutcome; // the current step's slices so far, null between steps
    private ProcessStats sliceStats;
    private int slices;

    private ServerSession(ServerKind server, ServiceConfig config, int round, String prefix, PrintStream progress,
                          ServerJvm jvm, LoadStep.Connections connections) {
        this.server = server;
        this.config = config;
        this.round = round;
        this.prefix = prefix;
        this.progress = progress;
        this.jvm = jvm;
        this.connections = connections;
        this.loadAverage = new LoadAverageSampler();
    }

    /**
     * Starts the server JVM, waits until it listens and checks that its route runs on the threads its
     * configuration asks for; on any failure the JVM is stopped before the exception leaves.
     */
    static ServerSession start(ServerKind server, ServiceConfig config, int round, List<String> command,
                               String prefix, PrintStream progress) throws IOException, InterruptedException {
        progress.println(prefix + "starting the server JVM");
        ServerJvm jvm = ServerJvm.start(command, line -> progress.println(prefix + line));
        try {
            LoadStep.Connections connections = new LoadStep.Connections(jvm.awaitPort(ServiceAb.START_TIMEOUT_SECONDS));
            try {
                checkThreads(server, config.threads(), connections.port(), jvm);
                return new ServerSession(server, config, round, prefix, progress, jvm, connections);
            } catch (IOException | RuntimeException e) {
                connections.close();
                throw e;
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            jvm.close();
            throw e;
        }
    }

    String prefix() {
        return prefix;
    }

    void warmUp(Load load, Duration duration, int maxInFlight) throws InterruptedException {
        progress.println(prefix + "warm-up " + load.describe() + " for " + duration.toSeconds() + " s");
        step(load, duration, maxInFlight);
    }

    /**
     * One slice of a measured step, added to what the step's earlier slices measured; a failure to read
     * the server's stats ends the session. {@link #endStep} records and reports the step.
     */
    void measureSlice(Load load, Duration duration, int maxInFlight, Duration settle)
            throws IOException, InterruptedException {
        Thread.sleep(settle.toMillis()); // let the last step's stragglers and their GC settle
        ProcessStats before = stats();
        LoadStep.Outcome outcome = step(load, duration, maxInFlight);
        ProcessStats delta = stats().minus(before);
        if (sliceOutcome != null) {
            outcome = sliceOutcome.plus(outcome);
            delta = sliceStats.plus(delta);
        }
        sliceOutcome = outcome;
        sliceStats = delta;
        slices++;
    }

    /** The step whose slices were measured since the last call, recorded and reported. */
    void endStep(Load load) {
        StepResult result = StepResult.of(sliceOutcome, sliceStats);
        steps.put(load, result);
        progress.println(prefix + ServiceAb.describe(load, result, sliceOutcome.lastError())
                + (slices > 1 ? " (" + slices + " slices)" : ""));
        sliceOutcome = null;
        sliceStats = null;
        slices = 0;
    }

    /** What the session measured, with the load average over its life and the agent's series. */
    ServerRun finish() throws InterruptedException {
        LoadAverage load = loadAverage.result();
        Map<String, Double> metrics = scrape();
        progress.println(prefix + "load average " + ServiceAb.describe(load));
        return new ServerRun(server, config, round, steps, load, metrics);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            loadAverage.close();
            connections.close();
        } finally {
            jvm.close();
        }
    }

    private LoadStep.Outcome step(Load load, Duration duration, int maxInFlight) throws InterruptedException {
        return load.isMax() ? LoadStep.max(connections, server.path(), load.inFlight(), duration)
                : LoadStep.fixedRate(connections, server.path(), load.ratePerSecond(), duration, maxInFlight);
    }

    /** One request before the warm-up: the server answers its route, and on the threads asked for. */
    private static void checkThreads(ServerKind server, RequestThreads threads, int port, ServerJvm jvm)
            throws IOException {
        String body = LoadStep.fetch(port, server.path());
        if (!body.contains("virtual thread: " + (threads == RequestThreads.VIRTUAL))) {
            throw new IOException("GET " + server.path() + " did not run on " + threads.description() + ": "
                    + body.strip() + jvm.tail());
        }
    }

    /** The recycler's series at the end of the run; empty without the agent, and (with a note) when unreadable. */
    private Map<String, Double> scrape() throws InterruptedException {
        if (!config.hasAgent()) {
            return Map.of();
        }
        String url = jvm.metricsUrl();
        if (url == null) {
            progress.println(prefix + "no metrics endpoint line from the agent: recycler series not read");
            return Map.of();
        }
        try {
            return MetricsScrape.scrape(url);
        } catch (IOException e) {
            progress.println(prefix + "recycler series not read: " + e.getMessage());
            return Map.of();
        }
    }

    private ProcessStats stats() throws IOException {
        try {
            return ProcessStats.parse(LoadStep.fetch(connections.port(), ServedRequests.STATS_PATH));
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("cannot read the server's /-/stats: " + e.getMessage() + jvm.tail());
        }
    }
}
