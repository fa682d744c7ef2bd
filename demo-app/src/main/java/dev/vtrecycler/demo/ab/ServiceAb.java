package dev.vtrecycler.demo.ab;

import dev.vtrecycler.demo.measure.ProcessStats;
import dev.vtrecycler.demo.measure.Units;
import dev.vtrecycler.demo.serve.RequestWork;
import dev.vtrecycler.demo.serve.ServedRequests;
import dev.vtrecycler.demo.serve.ServerKind;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the A/B: for each server, round and configuration, a fresh server JVM (and, with a neighbour,
 * a fresh busy JVM beside it), a warm-up, then each load step with a {@code /-/stats} snapshot on
 * either side, and at the end one scrape of the agent's recycler series. Rounds vary the
 * configuration order ({@link #order}) so every configuration runs in every position, after every
 * other, and a slow
 * drift of the shared machine does not always land on the same one. Servers run one after another,
 * all rounds of one before the next, so a server's configurations are compared over the same minutes.
 */
public final class ServiceAb {
    /**
     * What to run. The default takes about 6 minutes per server and 4 configurations on 2 quiet cores
     * (10 on a machine with a load average of 30: a saturated step drains its queue after its 8 s),
     * the quick one under a minute. The Jetty server answers about 15,000 requests/s flat out on 2
     * quiet cores, so 8,000/s is near saturation once the generator's own share of the cores is counted.
     * {@code neighbourThreads}: busy threads of a CPU-bound neighbour JVM beside each run (0 = none).
     */
    public record Plan(List<Load> loads, int rounds, Duration warmup, Duration step, String heap, RequestWork work,
                       int neighbourThreads) {
        public static final Plan DEFAULT = new Plan(
                List.of(Load.rate(2000), Load.rate(5000), Load.rate(8000), Load.max(64)), 2,
                Duration.ofSeconds(8), Duration.ofSeconds(8), "256m", RequestWork.DEMO, 0);
        public static final Plan QUICK = new Plan(
                List.of(Load.rate(200), Load.max(16)), 1, Duration.ofSeconds(2), Duration.ofSeconds(2), "256m",
                RequestWork.DEMO, 0);

        public Plan {
            loads = List.copyOf(loads);
        }

        /** Requests out at once in a fixed-rate step: the saturation step's, so both hold as many connections. */
        int maxInFlight() {
            return loads.stream().filter(Load::isMax).mapToInt(Load::inFlight).max().orElse(64);
        }

        /** The warm-up runs at the highest fixed rate: every code path the steps take gets compiled. */
        Load warmupLoad() {
            return loads.stream().filter(l -> !l.isMax()).reduce((a, b) -> b)
                    .orElse(loads.stream().filter(Load::isMax).findFirst().orElse(Load.rate(200)));
        }
    }

    /**
     * How long a server JVM may take to listen: Spring Boot under the agent took 45-63 s on 2 cores
     * at a load average of 18-30 (Jetty without the agent 4-6 s on the same machine then).
     */
    static final long START_TIMEOUT_SECONDS = 240;

    /** A table cell: one configuration at one load (of one server). */
    public record Key(ServiceConfig config, Load load) {}

    private final String java;
    private final Path demoClassPath;
    private final Path agentJar;
    private final Plan plan;
    private final CpuSplit cpus;
    private final PrintStream progress;

    /** {@code cpus}: where the server and the load generator run; the caller pinned this JVM already. */
    public ServiceAb(String java, Path demoClassPath, Path agentJar, Plan plan, CpuSplit cpus, PrintStream progress) {
        this.java = java;
        this.demoClassPath = demoClassPath;
        this.agentJar = agentJar;
        this.plan = plan;
        this.cpus = cpus;
        this.progress = progress;
    }

    /** Every run of every server; a server JVM that failed is in {@code failures()}, its steps missing. */
    public ServiceAbResults run(List<ServerKind> servers, List<ServiceConfig> configs) throws InterruptedException {
        List<ServerRun> runs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        int total = servers.size() * configs.size() * plan.rounds();
        int n = 0;
        for (ServerKind server : servers) {
            for (int round = 1; round <= plan.rounds(); round++) {
                for (ServiceConfig config : order(configs, round)) {
                    String name = (servers.size() > 1 ? server.key() + " " : "") + config.label() + " round " + round;
                    String prefix = "service-ab [" + (++n) + "/" + total + "] " + name + ": ";
                    try {
                        runs.add(runServer(server, config, round, prefix));
                    } catch (IOException e) {
                        failures.add(server.key() + " " + config.label() + " round " + round + ": " + e.getMessage());
                        progress.println(prefix + "failed: " + e.getMessage());
                    }
                }
            }
        }
        return new ServiceAbResults(plan, servers, configs, runs, failures);
    }

    /**
     * The order of round {@code round} (from 1): a Williams design, so that over a cycle of rounds
     * (n rounds for n configurations when n is even, 2n when odd) every configuration runs in every
     * position equally often <em>and</em> right after every other configuration equally often. A plain
     * rotation (ABC, BCA, CAB) balances positions only: B always ran right after A, so whatever a run
     * leaves behind for the next one (the machine's caches, sockets in TIME_WAIT, the load generator's
     * own warm-up) always landed on the same configuration; with the A/A control two identical
     * configurations then differed by 14% in the median (Spring Boot {@code @Async}, 5 rounds). Round
     * 1 starts with the first configuration, the baseline.
     */
    static List<ServiceConfig> order(List<ServiceConfig> configs, int round) {
        int n = configs.size();
        int cycle = n % 2 == 0 ? n : 2 * n;
        int r = (round - 1) % cycle;
        List<ServiceConfig> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // first row 0, 1, n-1, 2, n-2, ...; row r shifts it by r; odd n adds the reversed rows
            int position = r >= n ? n - 1 - i : i;
            int first = position == 0 ? 0 : position % 2 == 1 ? (position + 1) / 2 : n - position / 2;
            order.add(configs.get((first + r) % n));
        }
        return order;
    }

    private ServerRun runServer(ServerKind server, ServiceConfig config, int round, String prefix)
            throws IOException, InterruptedException {
        progress.println(prefix + "starting the server JVM");
        Map<Load, StepResult> steps = new LinkedHashMap<>();
        try (ServerJvm jvm = ServerJvm.start(serverCommand(server, config), line -> progress.println(prefix + line));
             LoadStep.Connections connections = new LoadStep.Connections(jvm.awaitPort(START_TIMEOUT_SECONDS));
             NeighbourProcess neighbour = NeighbourProcess.start(java, demoClassPath, plan.neighbourThreads(), cpus);
             LoadAverageSampler loadAverage = new LoadAverageSampler()) {
            int port = connections.port();
            checkVirtual(server, port, jvm);
            if (neighbour != null) {
                progress.println(prefix + "neighbour JVM with " + plan.neighbourThreads() + " busy thread(s)");
            }
            Load warmup = plan.warmupLoad();
            progress.println(prefix + "warm-up " + warmup.describe() + " for " + plan.warmup().toSeconds() + " s");
            step(connections, server.path(), warmup, plan.warmup());
            for (Load load : plan.loads()) {
                Thread.sleep(500); // let the last step's stragglers and their GC settle
                ProcessStats before = stats(port, jvm);
                LoadStep.Outcome outcome = step(connections, server.path(), load, plan.step());
                StepResult result = StepResult.of(outcome, stats(port, jvm).minus(before));
                steps.put(load, result);
                progress.println(prefix + describe(load, result, outcome.lastError()));
            }
            LoadAverage load = loadAverage.result();
            Map<String, Double> metrics = scrape(jvm, config, prefix);
            progress.println(prefix + "load average " + describe(load));
            return new ServerRun(server, config, round, steps, load, metrics);
        }
    }

    /** One request before the warm-up: the server answers its route, and on a virtual thread. */
    private static void checkVirtual(ServerKind server, int port, ServerJvm jvm) throws IOException {
        String body = LoadStep.fetch(port, server.path());
        if (!body.contains("virtual thread: true")) {
            throw new IOException("GET " + server.path() + " did not run on a virtual thread: " + body.strip()
                    + jvm.tail());
        }
    }

    /** The recycler's series at the end of the run; empty without the agent, and (with a note) when unreadable. */
    private Map<String, Double> scrape(ServerJvm jvm, ServiceConfig config, String prefix) throws InterruptedException {
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

    private LoadStep.Outcome step(LoadStep.Connections connections, String path, Load load, Duration duration)
            throws InterruptedException {
        return load.isMax() ? LoadStep.max(connections, path, load.inFlight(), duration)
                : LoadStep.fixedRate(connections, path, load.ratePerSecond(), duration, plan.maxInFlight());
    }

    private static ProcessStats stats(int port, ServerJvm server) throws IOException {
        try {
            return ProcessStats.parse(LoadStep.fetch(port, ServedRequests.STATS_PATH));
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("cannot read the server's /-/stats: " + e.getMessage() + server.tail());
        }
    }

    /**
     * The progress line of one step: "1000/s: achieved 999/s, p50 2.41ms p99 3.90ms p99.9 8.10ms, cpu/1k
     * req 97.3ms (server busy 0.10 CPUs), 0 errors".
     */
    static String describe(Load load, StepResult r, String lastError) {
        return String.format(Locale.ROOT, "%s: achieved %.0f/s, p50 %s p99 %s p99.9 %s, cpu/1k req %s (server busy"
                        + " %.2f CPUs), %d errors%s",
                load.describe(), r.achievedPerSecond(), Units.duration(r.p50()),
                Units.duration(r.p99()), Units.duration(r.p999()),
                Units.duration(r.cpuPerThousand()), r.serverCpus(), r.errors(),
                r.errors() > 0 && lastError != null ? " (last: " + lastError + ")" : "");
    }

    static String describe(LoadAverage load) {
        return load.known() ? String.format(Locale.ROOT, "%.2f (max %.2f)", load.mean(), load.max()) : "n/a";
    }

    /**
     * The server: same java, same class path, same CPUs; only the agent options and JVMTI flags differ.
     */
    List<String> serverCommand(ServerKind server, ServiceConfig config) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-Xms" + plan.heap());
        command.add("-Xmx" + plan.heap());
        command.addAll(config.jvmOptions(agentJar));
        command.add("-cp");
        command.add(demoClassPath.toString());
        command.add("dev.vtrecycler.demo.Main");
        command.addAll(List.of("serve", "--port", "0", "--duration", "0", "--server", server.key(),
                "--work", plan.work().key()));
        return cpus.serverCommand(command);
    }
}
