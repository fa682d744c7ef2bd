package dev.vtrecycler.demo.command;

import dev.vtrecycler.demo.cli.CommandFailure;
import dev.vtrecycler.demo.cli.Option;
import dev.vtrecycler.demo.cli.ParsedOptions;
import dev.vtrecycler.demo.compare.AgentConfig;
import dev.vtrecycler.demo.compare.AgentJarLocator;
import dev.vtrecycler.demo.compare.Cell;
import dev.vtrecycler.demo.compare.ChildJvm;
import dev.vtrecycler.demo.compare.CompareReport;
import dev.vtrecycler.demo.compare.RunResult;
import dev.vtrecycler.demo.compare.Workload;
import dev.vtrecycler.demo.report.CompareHtml;
import dev.vtrecycler.demo.report.ReportFiles;
import dev.vtrecycler.demo.workload.PingServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code compare}: runs {@code sieve} and {@code ping} in child JVMs without the agent, with
 * {@code mode=observe}, with {@code mode=recycle} and with {@code mode=recycle,wakeups=jdk} (thread
 * recycling without wake-up reuse, so the table splits the two), at parallelism 1 and at this
 * machine's, and prints the seed's table. Every child is the same java binary with the demo's own
 * class path, so the comparison differs only in the {@code -javaagent} option.
 */
public final class CompareCommand implements Command {
    /**
     * Sized so the default run takes a few minutes on 2 cores and {@code --quick} about one (16
     * child JVMs on 2 cores: 2 workloads x 2 parallelisms x 4 configurations).
     * A ping op is short (about 0.1 s) and its JIT warm-up long (time and allocation per op kept
     * falling for 25 ops), hence many more warm-up ops than for the sieve.
     */
    record Plan(int primes, int warmup, int iterations, int pingWarmup, int pingIterations, long childTimeoutSeconds) {
        static final Plan DEFAULT = new Plan(SieveCommand.DEFAULT_PRIMES, 3, 8, 30, 15, 300);
        static final Plan QUICK = new Plan(300, 1, 3, 3, 3, 90);
    }

    @Override
    public String name() {
        return "compare";
    }

    @Override
    public String summary() {
        return "run sieve and ping without the agent, with mode=observe, mode=recycle and mode=recycle,wakeups=jdk;"
                + " print the seed's table";
    }

    @Override
    public String help() {
        return Command.super.help() + "\n" + AgentJarLocator.HELP;
    }

    @Override
    public List<Option> options() {
        return Stream.concat(Stream.of(
                Option.flag("quick", "fewer primes and iterations: under a minute"),
                Option.number("iterations", "ops", 0, 1000, 0, "measured operations per JVM (0 = the plan's)")),
                ReportFiles.OPTIONS.stream()).toList();
    }

    @Override
    public int run(ParsedOptions options) throws Exception {
        PrintStream err = System.err;
        ReportFiles reportFiles = ReportFiles.from(options);
        Plan plan = options.flag("quick") ? Plan.QUICK : Plan.DEFAULT;
        int iterationsOverride = options.intNumber("iterations");
        Path demoClassPath = demoClassPath();
        Path agentJar = AgentJarLocator.locate(demoClassPath);
        String java = ChildJvm.currentJava();
        int machineParallelism = Runtime.getRuntime().availableProcessors();
        List<Integer> parallelisms = machineParallelism == 1 ? List.of(1) : List.of(1, machineParallelism);
        List<Workload> workloads = List.of(Workload.SIEVE, Workload.PING);

        err.println("compare: " + java + ", agent " + agentJar + ", parallelism " + parallelisms);
        Map<Cell, RunResult> results = new LinkedHashMap<>();
        int failures = 0;
        try (PingServer pingServer = PingServer.start()) {
            List<Cell> cells = new ArrayList<>();
            for (Workload workload : workloads) {
                for (int parallelism : parallelisms) {
                    for (AgentConfig config : AgentConfig.values()) {
                        cells.add(new Cell(workload, parallelism, config));
                    }
                }
            }
            Map<AgentConfig, String> cannotStart = new EnumMap<>(AgentConfig.class);
            for (int i = 0; i < cells.size(); i++) {
                Cell cell = cells.get(i);
                String prefix = "compare [" + (i + 1) + "/" + cells.size() + "] " + cell.describe() + ": ";
                RunResult result;
                if (cannotStart.containsKey(cell.config())) {
                    // the same JVM options failed before the workload began: they will again
                    result = RunResult.skipped("not run: " + cannotStart.get(cell.config()));
                    err.println(prefix + result.failure());
                } else {
                    err.println(prefix + "starting child JVM");
                    List<String> command = childCommand(java, demoClassPath, agentJar, cell, plan,
                            iterationsOverride, pingServer.port());
                    result = new ChildJvm(command, plan.childTimeoutSeconds()).run(line -> err.println(prefix + line));
                    if (!result.ok()) {
                        err.println("compare: " + cell.describe() + " failed: " + result.failure());
                        if (!result.workloadStarted()) {
                            cannotStart.put(cell.config(), cell.config().label() + " JVMs do not start (see "
                                    + cell.describe() + " above)");
                        }
                    }
                }
                if (!result.ok()) {
                    failures++;
                }
                results.put(cell, result);
            }
        }
        String header = header(plan, iterationsOverride, machineParallelism);
        String tables = new CompareReport(results, parallelisms).render(workloads);
        System.out.println();
        System.out.println(header);
        System.out.println();
        System.out.print(tables);
        System.out.flush();
        reportFiles.write(conditions -> CompareHtml.report(results, parallelisms, workloads, header, tables, conditions));
        if (failures > 0) {
            throw new CommandFailure(failures + " of " + results.size() + " child JVMs failed (see the lines above)");
        }
        return 0;
    }

    /** What was measured, on what: the first line of the output, so a pasted table keeps its context. */
    static String header(Plan plan, int iterationsOverride, int processors) {
        int sieveIterations = iterationsOverride > 0 ? iterationsOverride : plan.iterations();
        int pingIterations = iterationsOverride > 0 ? iterationsOverride : plan.pingIterations();
        return "JDK " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + "), " + processors
                + " processors. With recycling = mode=recycle, without = no agent,"
                + " thread recycling only = mode=recycle,wakeups=jdk, scheduling only = mode=schedule.\n"
                + "PrimeNumber: " + plan.primes() + " primes per op, " + plan.warmup() + " warm-up + "
                + sieveIterations + " measured ops per JVM.\n"
                + "PingUrl: " + PingCommand.DEFAULT_ROUNDS + " rounds x " + PingCommand.DEFAULT_THREADS
                + " GETs per op, " + plan.pingWarmup() + " warm-up + " + pingIterations + " measured ops per JVM.";
    }

    static List<String> childCommand(String java, Path classPath, Path agentJar, Cell cell, Plan plan,
                                     int iterationsOverride, int pingPort) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(cell.config().jvmOptions(agentJar));
        command.add("-Djdk.virtualThreadScheduler.parallelism=" + cell.parallelism());
        command.add("-cp");
        command.add(classPath.toString());
        command.add("dev.vtrecycler.demo.Main");
        command.add(cell.workload().subcommand());
        boolean sieve = cell.workload() == Workload.SIEVE;
        int iterations = iterationsOverride > 0 ? iterationsOverride : sieve ? plan.iterations() : plan.pingIterations();
        if (sieve) {
            command.addAll(List.of("--primes", String.valueOf(plan.primes())));
        } else {
            command.addAll(List.of("--target-port", String.valueOf(pingPort)));
        }
        command.addAll(List.of(
                "--warmup", String.valueOf(sieve ? plan.warmup() : plan.pingWarmup()),
                "--iterations", String.valueOf(iterations),
                "--machine"));
        return command;
    }

    /** The demo's jar (or classes directory): -Dvtrecycler.demo.jar, else where Main was loaded from. */
    static Path demoClassPath() {
        String configured = System.getProperty("vtrecycler.demo.jar");
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured).toAbsolutePath();
        }
        try {
            return Paths.get(CompareCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new CommandFailure("cannot tell where the demo jar is (" + e + "); pass -Dvtrecycler.demo.jar=<path>");
        }
    }
}
