package dev.vtrecycler.demo.command;

import dev.vtrecycler.demo.ab.CpuSplit;
import dev.vtrecycler.demo.ab.Load;
import dev.vtrecycler.demo.ab.ServiceAb;
import dev.vtrecycler.demo.ab.ServiceAbResults;
import dev.vtrecycler.demo.ab.ServiceConfig;
import dev.vtrecycler.demo.ab.ServiceReport;
import dev.vtrecycler.demo.cli.CommandFailure;
import dev.vtrecycler.demo.cli.Option;
import dev.vtrecycler.demo.cli.ParsedOptions;
import dev.vtrecycler.demo.cli.UsageException;
import dev.vtrecycler.demo.compare.AgentJarLocator;
import dev.vtrecycler.demo.compare.ChildJvm;
import dev.vtrecycler.demo.serve.ServerKind;
import dev.vtrecycler.demo.report.ReportFiles;
import dev.vtrecycler.demo.report.ServiceAbHtml;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code service-ab}: the demo's {@code serve} with one or more real servers (Jetty, Tomcat, Spring
 * Boot, Spring Boot {@code @Async}, the JDK's HttpServer) in a child JVM per server, configuration
 * (no agent, mode=observe, mode=recycle, mode=recycle with JVMTI transitions off) and round, driven
 * from this JVM at fixed request rates and flat out, with latency percentiles free of coordinated
 * omission and the server's CPU, allocation and GC per step; optionally a small heap and a CPU-bound
 * neighbour. Prints benchstat-style tables, a verdict per configuration and per-round ratios per server.
 */
public final class ServiceAbCommand implements Command {
    private static final Pattern HEAP = Pattern.compile("\\d+[kKmMgG]?");

    @Override
    public String name() {
        return "service-ab";
    }

    @Override
    public String summary() {
        return "A/B of real servers: throughput, latency, CPU, allocation, GC with and without the agent";
    }

    @Override
    public String help() {
        return Command.super.help() + "\n" + AgentJarLocator.HELP;
    }

    @Override
    public List<Option> options() {
        return Stream.concat(Stream.of(
                Option.flag("quick", "two short steps, one round: under a minute per server (a smoke run, not a measurement)"),
                Option.text("server", "names", "servers to measure, comma-separated, one after another: "
                        + ServerKind.keys() + " (default jetty)"),
                Option.text("configs", "names", "configurations, comma-separated; the first is the baseline: "
                        + ServiceConfig.keys() + " (default: no-agent, observe, recycle, recycle-jvmti-off)"),
                Option.number("rounds", "n", 0, 50, 0, "server JVMs per server and configuration, in a balanced order (0 = the plan's)"),
                Option.number("step", "seconds", 0, 600, 0, "length of each load step (0 = the plan's)"),
                Option.number("warmup", "seconds", 0, 600, 0, "warm-up before the steps (0 = the plan's)"),
                Option.text("rates", "req/s,...", "fixed-rate steps, comma-separated, or none (default 2000,5000,8000;"
                        + " quick 200)"),
                Option.number("in-flight", "n", 0, 4096, 0, "requests in flight in the saturation step (0 = the plan's:"
                        + " 64, quick 16)"),
                Option.text("heap", "size", "the server's -Xms and -Xmx, e.g. 48m (default 256m)"),
                Option.number("neighbour", "threads", 0, 64, 0, "busy threads of a CPU-bound neighbour JVM beside each run"),
                Option.flag("interleave", "run a round's server JVMs at once and take each load step on each in"
                        + " turn, in slices of at most 2 s: the configurations' same step is measured seconds apart,"
                        + " so a machine whose speed drifts (a busy VM host) weighs on all alike"),
                Option.text("cpus", "server/load", "pin the server (and neighbour) and the load generator to separate"
                        + " CPUs with taskset, e.g. 1/0 (default: unpinned, both share every CPU)"),
                Option.text("work", "name", "what a request does: demo (primes below 2,000 + 2 ms sleep) or empty"
                        + " (default demo)")),
                ReportFiles.OPTIONS.stream()).toList();
    }

    @Override
    public int run(ParsedOptions options) throws Exception {
        ReportFiles reportFiles = ReportFiles.from(options);
        ServiceAb.Plan plan = plan(options);
        List<ServerKind> servers = options.text("server") == null ? List.of(ServerKind.JETTY)
                : servers(name(), options.text("server"));
        List<ServiceConfig> configs = configs(options);
        int processors = Runtime.getRuntime().availableProcessors();
        CpuSplit cpus = cpus(options, processors);
        try {
            cpus.pinThisJvm();
        } catch (java.io.IOException e) {
            throw new CommandFailure("service-ab: " + e.getMessage());
        }
        Path demoClassPath = CompareCommand.demoClassPath();
        Path agentJar = AgentJarLocator.locate(demoClassPath);
        String java = ChildJvm.currentJava();
        System.err.println("service-ab: " + java + ", agent " + agentJar + ", servers "
                + servers.stream().map(ServerKind::key).collect(Collectors.joining(", ")) + ", loads "
                + plan.loads().stream().map(Load::describe).collect(Collectors.joining(", ")) + ", " + cpus.describe());
        ServiceAbResults results = new ServiceAb(java, demoClassPath, agentJar, plan, cpus, System.err)
                .run(servers, configs);
        String header = header(plan, cpus, processors);
        System.out.println();
        System.out.println(header);
        StringBuilder allTables = new StringBuilder();
        for (ServerKind server : servers) {
            String title = "== " + server.key() + ": " + server.description() + " (" + version(server) + ")";
            String tables = new ServiceReport(results, server).render();
            System.out.println();
            System.out.println(title);
            System.out.println();
            System.out.print(tables);
            allTables.append(title).append("\n\n").append(tables).append('\n');
        }
        System.out.flush();
        // The HTML report charts the first server; its text part carries every server's tables.
        ServiceReport first = new ServiceReport(results, servers.get(0));
        reportFiles.write(conditions -> ServiceAbHtml.report(first, plan.loads(), configs, header,
                allTables.toString(), conditions));
        if (!results.failures().isEmpty()) {
            throw new CommandFailure(results.failures().size() + " server JVMs failed: "
                    + String.join("; ", results.failures()));
        }
        return 0;
    }

    static ServiceAb.Plan plan(ParsedOptions options) {
        ServiceAb.Plan plan = options.flag("quick") ? ServiceAb.Plan.QUICK : ServiceAb.Plan.DEFAULT;
        int rounds = options.intNumber("rounds");
        int step = options.intNumber("step");
        int warmup = options.intNumber("warmup");
        String heap = options.text("heap");
        if (heap != null && !HEAP.matcher(heap.trim()).matches()) {
            throw new UsageException("service-ab: --heap must be a size such as 48m or 1g, got '" + heap + "'");
        }
        return new ServiceAb.Plan(loads(options, plan), rounds > 0 ? rounds : plan.rounds(),
                warmup > 0 ? Duration.ofSeconds(warmup) : plan.warmup(),
                step > 0 ? Duration.ofSeconds(step) : plan.step(), heap != null ? heap.trim() : plan.heap(),
                ServeCommand.work("service-ab", options), options.intNumber("neighbour"), options.flag("interleave"));
    }

    /** The plan's fixed rates unless --rates says otherwise, then the saturation step. */
    private static List<Load> loads(ParsedOptions options, ServiceAb.Plan plan) {
        List<Load> loads = new ArrayList<>();
        String rates = options.text("rates");
        if (rates == null) {
            plan.loads().stream().filter(l -> !l.isMax()).forEach(loads::add);
        } else if (!rates.trim().equalsIgnoreCase("none")) {
            for (String rate : rates.split(",")) {
                try {
                    int perSecond = Integer.parseInt(rate.trim());
                    if (perSecond < 1 || perSecond > 1_000_000) {
                        throw new NumberFormatException();
                    }
                    loads.add(Load.rate(perSecond));
                } catch (NumberFormatException e) {
                    throw new UsageException("service-ab: --rates must be requests per second between 1 and 1000000,"
                            + " comma-separated, or none; got '" + rate.trim() + "'");
                }
            }
        }
        int inFlight = options.intNumber("in-flight");
        int planned = plan.loads().stream().filter(Load::isMax).mapToInt(Load::inFlight).findFirst().orElse(64);
        loads.add(Load.max(inFlight > 0 ? inFlight : planned));
        return loads;
    }

    static List<ServerKind> servers(String command, String text) {
        try {
            return ServerKind.parseList(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": --server " + e.getMessage());
        }
    }

    static CpuSplit cpus(ParsedOptions options, int processors) {
        String text = options.text("cpus");
        try {
            return text == null ? CpuSplit.NONE : CpuSplit.parse(text, processors);
        } catch (IllegalArgumentException e) {
            throw new UsageException("service-ab: --cpus " + e.getMessage());
        }
    }

    private static List<ServiceConfig> configs(ParsedOptions options) {
        String text = options.text("configs");
        try {
            return text == null ? ServiceConfig.DEFAULT : ServiceConfig.parseList(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("service-ab: --configs " + e.getMessage());
        }
    }

    /** The library versions in this jar, which are the server's. */
    static String version(ServerKind server) {
        return switch (server) {
            case JETTY -> "Jetty " + org.eclipse.jetty.util.Jetty.VERSION;
            case TOMCAT -> org.apache.catalina.util.ServerInfo.getServerInfo();
            case SPRING, SPRING_ASYNC -> "Spring Boot " + org.springframework.boot.SpringBootVersion.getVersion()
                    + ", " + org.apache.catalina.util.ServerInfo.getServerInfo();
            case JDK -> "JDK " + Runtime.version();
        };
    }

    /** What was measured, on what: the first lines of the output, so a pasted table keeps its context. */
    static String header(ServiceAb.Plan plan, CpuSplit cpus, int processors) {
        return "JDK " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + "), " + processors
                + " processors, server and load generator on the same machine, " + cpus.describe() + ".\n"
                + "Server: demo serve, a virtual thread per request (work: " + plan.work().description() + "), -Xmx"
                + plan.heap() + ", a fresh JVM per configuration and round"
                + (plan.interleave() ? ", a round's JVMs running at once, each step taken by each in turn in slices of at most 2 s" : "")
                + (plan.neighbourThreads() > 0 ? ", beside a CPU-bound neighbour JVM with " + plan.neighbourThreads()
                + " busy thread(s)" : "") + ".\n"
                + "Load: " + plan.rounds() + " round(s) in a balanced order, " + plan.warmup().toSeconds()
                + " s warm-up, then " + plan.step().toSeconds() + " s per step over keep-alive connections; fixed rates"
                + " are open loop, latency from the intended send time (no coordinated omission).\n"
                + "Each cell: mean ± spread over the rounds; the change vs the first column, ~ = within noise.";
    }
}
