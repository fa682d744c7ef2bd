package dev.vtrecycler.demo.ab;

import dev.vtrecycler.demo.measure.Units;
import dev.vtrecycler.demo.serve.RequestWork;
import dev.vtrecycler.demo.serve.ServerKind;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the A/B: for each server, round and configuration, a fresh server JVM (and, with a neighbour,
 * a fresh busy JVM beside it), a warm-up, then each load step ({@link ServerSession}). Rounds vary the
 * configuration order ({@link #order}) so every configuration runs in every position, after every
 * other, and a slow drift of the shared machine does not always land on the same one. A round's JVMs
 * run one after another, or with {@link Plan#interleave} all at once, step by step. Servers run one
 * after another, all rounds of one before the next, so a server's configurations are compared over the
 * same minutes.
 */
public final class ServiceAb {
    /**
     * What to run. The default takes about 6 minutes per server and 4 configurations on 2 quiet cores
     * (10 on a machine with a load average of 30: a saturated step drains its queue after its 8 s),
     * the quick one under a minute. The Jetty server answers about 15,000 requests/s flat out on 2
     * quiet cores, so 8,000/s is near saturation once the generator's own share of the cores is counted.
     * {@code neighbourThreads}: busy threads of a CPU-bound neighbour JVM beside each run (0 = none);
     * {@code interleave}: a round's JVMs run at once and take each step in turn ({@link #runTogether}).
     */
    public record Plan(List<Load> loads, int rounds, Duration warmup, Duration step, String heap, RequestWork work,
                       int neighbourThreads, boolean interleave) {
        public static final Plan DEFAULT = new Plan(
                List.of(Load.rate(2000), Load.rate(5000), Load.rate(8000), Load.max(64)), 2,
                Duration.ofSeconds(8), Duration.ofSeconds(8), "256m", RequestWork.DEMO, 0, false);
        public static final Plan QUICK = new Plan(
                List.of(Load.rate(200), Load.max(16)), 1, Duration.ofSeconds(2), Duration.ofSeconds(2), "256m",
                RequestWork.DEMO, 0, false);

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
                List<Slot> slots = new ArrayList<>();
                for (ServiceConfig config : order(configs, round)) {
                    String name = (servers.size() > 1 ? server.key() + " " : "") + config.label() + " round " + round;
                    slots.add(new Slot(server, config, round, "service-ab [" + (++n) + "/" + total + "] " + name + ": "));
                }
                if (plan.interleave()) {
                    runTogether(slots, runs, failures);
                } else {
                    for (Slot slot : slots) {
                        runTogether(List.of(slot), runs, failures);
                    }
                }
            }
        }
        return new ServiceAbResults(plan, servers, configs, runs, failures);
    }

    /** One server JVM to run: which server and configuration, in which round, and its progress prefix. */
    private record Slot(ServerKind server, ServiceConfig config, int round, String prefix) {
        String failure(String message) {
            return server.key() + " " + config.label() + " round " + round + ": " + message;
        }
    }

    /** Before a step run whole: the last step's stragglers and their GC settle. */
    private static final Duration SETTLE = Duration.ofMillis(500);
    /** Before each slice of an interleaved step: another JVM ran in between, so less is left to settle. */
    private static final Duration SLICE_SETTLE = Duration.ofMillis(250);
    /** How long an interleaved slice lasts at most. */
    static final Duration SLICE = Duration.ofSeconds(2);

    /** Slices of at most {@link #SLICE} an interleaved step is taken in: 8 s in four of 2 s. */
    static int slices(Duration step) {
        return (int) Math.max(1, (step.toMillis() + SLICE.toMillis() - 1) / SLICE.toMillis());
    }

    /**
     * Runs the slots' server JVMs at once (one slot: the sequential plan), each warmed up in turn, then
     * each load step in slices of at most {@link #SLICE}: the first slice on each JVM in the slots' order,
     * then the second, and so on; a JVM's slices add up to its step. The load goes to one server at a
     * time; the others idle on the same CPUs. On a machine whose speed drifts (a virtual machine whose
     * host is busy: the same pure-CPU loop measured 0.55-0.65 s and, for seconds to a minute at a time,
     * up to 1.04 s on this project's 2-core VM), a run-after-run plan puts such a stretch on whichever
     * JVMs it overlaps, and 8 s steps taken whole still put one on a single configuration's step (Tomcat
     * at 2,000/s: 223 against 152 ms of CPU per 1,000 requests in one round, the other way in the next);
     * in 2 s slices it spreads over every configuration of that step. A JVM that fails is dropped from
     * the round, the others go on; the neighbour, if any, runs for the whole round.
     */
    private void runTogether(List<Slot> slots, List<ServerRun> runs, List<String> failures)
            throws InterruptedException {
        List<Started> started = new ArrayList<>();
        NeighbourProcess neighbour = null;
        try {
            for (Slot slot : slots) {
                try {
                    started.add(new Started(slot, ServerSession.start(slot.server(), slot.config(), slot.round(),
                            serverCommand(slot.server(), slot.config()), slot.prefix(), progress)));
                } catch (IOException e) {
                    fail(slot, e, failures);
                }
            }
            if (started.isEmpty()) {
                return;
            }
            String firstPrefix = started.get(0).slot().prefix();
            try {
                neighbour = NeighbourProcess.start(java, demoClassPath, plan.neighbourThreads(), cpus);
            } catch (IOException e) {
                for (Started s : started) {
                    failures.add(s.slot().failure(e.getMessage()));
                }
                progress.println(firstPrefix + "failed: " + e.getMessage());
                return;
            }
            if (neighbour != null) {
                progress.println(firstPrefix + "neighbour JVM with " + plan.neighbourThreads() + " busy thread(s)");
            }
            for (Started s : started) {
                s.session().warmUp(plan.warmupLoad(), plan.warmup(), plan.maxInFlight());
            }
            List<Started> live = new ArrayList<>(started); // a JVM whose stats could not be read leaves it
            int slices = started.size() == 1 ? 1 : slices(plan.step());
            Duration slice = plan.step().dividedBy(slices);
            Duration settle = slices == 1 ? SETTLE : SLICE_SETTLE;
            for (Load load : plan.loads()) {
                for (int i = 0; i < slices; i++) {
                    for (Started s : List.copyOf(live)) {
                        try {
                            s.session().measureSlice(load, slice, plan.maxInFlight(), settle);
                        } catch (IOException e) {
                            fail(s.slot(), e, failures);
                            live.remove(s);
                        }
                    }
                }
                for (Started s : live) {
                    s.session().endStep(load);
                }
            }
            for (Started s : live) {
                runs.add(s.session().finish());
            }
        } finally {
            if (neighbour != null) {
                neighbour.close();
            }
            for (Started s : started) {
                s.session().close();
            }
        }
    }

    /** A slot whose server JVM is running. */
    private record Started(Slot slot, ServerSession session) {}

    private void fail(Slot slot, IOException e, List<String> failures) {
        failures.add(slot.failure(e.getMessage()));
        progress.println(slot.prefix() + "failed: " + e.getMessage());
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
     * The server: same java, same class path, same CPUs; only the agent options, JVMTI flags and
     * (for the floor) the server's threads differ.
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
                "--work", plan.work().key(), "--threads", config.threads().key()));
        return cpus.serverCommand(command);
    }
}
