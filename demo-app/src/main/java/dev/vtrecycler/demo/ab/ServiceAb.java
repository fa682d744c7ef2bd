package dev.vtrecycler.demo.ab;

import dev.vtrecycler.demo.measure.ProcessStats;
import dev.vtrecycler.demo.measure.Units;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the A/B: for each round and configuration, a fresh server JVM, a warm-up, then each load step
 * with a {@code /-/stats} snapshot on either side. Rounds alternate the configuration order (ABCD,
 * DCBA, ...) so a slow drift of the shared machine does not always land on the same configuration.
 */
public final class ServiceAb {
    /**
     * What to run. The default takes about 6 minutes on 2 quiet cores (10 on a machine with a load
     * average of 30: a saturated step drains its queue after its 8 s), the quick one under a minute.
     * The server answers about 15,000 requests/s flat out on 2 quiet cores, so 8,000/s is near
     * saturation once the generator's own share of the cores is counted.
     */
    public record Plan(List<Load> loads, int rounds, Duration warmup, Duration step, String heap) {
        public static final Plan DEFAULT = new Plan(
                List.of(Load.rate(2000), Load.rate(5000), Load.rate(8000), Load.max(64)), 2,
                Duration.ofSeconds(8), Duration.ofSeconds(8), "256m");
        public static final Plan QUICK = new Plan(
                List.of(Load.rate(200), Load.max(16)), 1, Duration.ofSeconds(2), Duration.ofSeconds(2), "256m");

        /** The warm-up runs at the highest fixed rate: every code path the steps take gets compiled. */
        Load warmupLoad() {
            return loads.stream().filter(l -> !l.isMax()).reduce((a, b) -> b).orElse(Load.rate(200));
        }
    }

    /** A table cell: one configuration at one load. */
    public record Key(ServiceConfig config, Load load) {}

    private final String java;
    private final Path demoClassPath;
    private final Path agentJar;
    private final Plan plan;
    private final PrintStream progress;

    public ServiceAb(String java, Path demoClassPath, Path agentJar, Plan plan, PrintStream progress) {
        this.java = java;
        this.demoClassPath = demoClassPath;
        this.agentJar = agentJar;
        this.plan = plan;
        this.progress = progress;
    }

    /** Results per cell, one entry per round that measured it; {@code failures} collects what went wrong. */
    public Map<Key, List<StepResult>> run(List<ServiceConfig> configs, List<String> failures) throws InterruptedException {
        Map<Key, List<StepResult>> results = new LinkedHashMap<>();
        int runs = configs.size() * plan.rounds();
        int n = 0;
        for (int round = 1; round <= plan.rounds(); round++) {
            List<ServiceConfig> order = new ArrayList<>(configs);
            if (round % 2 == 0) {
                Collections.reverse(order);
            }
            for (ServiceConfig config : order) {
                String prefix = "service-ab [" + (++n) + "/" + runs + "] " + config.label() + " round " + round + ": ";
                try {
                    runServer(config, prefix, results);
                } catch (IOException e) {
                    failures.add(config.label() + " round " + round + ": " + e.getMessage());
                    progress.println(prefix + "failed: " + e.getMessage());
                }
            }
        }
        return results;
    }

    private void runServer(ServiceConfig config, String prefix, Map<Key, List<StepResult>> results)
            throws IOException, InterruptedException {
        progress.println(prefix + "starting the server JVM");
        try (ServerJvm server = ServerJvm.start(serverCommand(config), line -> progress.println(prefix + line));
             LoadStep.Connections connections = new LoadStep.Connections(server.awaitPort(60))) {
            int port = connections.port();
            Load warmup = plan.warmupLoad();
            progress.println(prefix + "warm-up " + warmup.describe() + " for " + plan.warmup().toSeconds() + " s");
            step(connections, warmup, plan.warmup());
            for (Load load : plan.loads()) {
                Thread.sleep(500); // let the last step's stragglers and their GC settle
                ProcessStats before = stats(port, server);
                LoadStep.Outcome outcome = step(connections, load, plan.step());
                StepResult result = StepResult.of(outcome, stats(port, server).minus(before));
                results.computeIfAbsent(new Key(config, load), k -> new ArrayList<>()).add(result);
                progress.println(prefix + describe(load, result, outcome.lastError()));
            }
        }
    }

    private static LoadStep.Outcome step(LoadStep.Connections connections, Load load, Duration duration)
            throws InterruptedException {
        return load.isMax() ? LoadStep.max(connections, load.inFlight(), duration)
                : LoadStep.fixedRate(connections, load.ratePerSecond(), duration);
    }

    private static ProcessStats stats(int port, ServerJvm server) throws IOException {
        try {
            return ProcessStats.parse(LoadStep.fetch(port, "/-/stats"));
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("cannot read the server's /-/stats: " + e.getMessage() + server.tail());
        }
    }

    /** The progress line of one step: "1000/s: achieved 999/s, p50 2.41ms p99 3.90ms p99.9 8.10ms, 0 errors". */
    static String describe(Load load, StepResult r, String lastError) {
        return String.format(Locale.ROOT, "%s: achieved %.0f/s, p50 %s p99 %s p99.9 %s, cpu/1k req %s, %d errors%s",
                load.describe(), r.achievedPerSecond(), Units.duration(r.p50()),
                Units.duration(r.p99()), Units.duration(r.p999()),
                Units.duration(r.cpuPerThousand()), r.errors(),
                r.errors() > 0 && lastError != null ? " (last: " + lastError + ")" : "");
    }

    /** The server: same java, same class path; only the agent options and JVMTI flags differ. */
    List<String> serverCommand(ServiceConfig config) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-Xms" + plan.heap());
        command.add("-Xmx" + plan.heap());
        command.addAll(config.jvmOptions(agentJar));
        command.add("-cp");
        command.add(demoClassPath.toString());
        command.add("dev.vtrecycler.demo.Main");
        command.addAll(List.of("serve", "--port", "0", "--duration", "0"));
        return command;
    }
}
