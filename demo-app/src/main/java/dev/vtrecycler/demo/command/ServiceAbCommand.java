package dev.vtrecycler.demo.command;

import dev.vtrecycler.demo.ab.Load;
import dev.vtrecycler.demo.ab.ServiceAb;
import dev.vtrecycler.demo.ab.ServiceConfig;
import dev.vtrecycler.demo.ab.ServiceReport;
import dev.vtrecycler.demo.ab.StepResult;
import dev.vtrecycler.demo.cli.CommandFailure;
import dev.vtrecycler.demo.cli.Option;
import dev.vtrecycler.demo.cli.ParsedOptions;
import dev.vtrecycler.demo.compare.AgentJarLocator;
import dev.vtrecycler.demo.compare.ChildJvm;
import dev.vtrecycler.demo.report.ReportFiles;
import dev.vtrecycler.demo.report.ServiceAbHtml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code service-ab}: the demo's Jetty {@code serve} in a child JVM per configuration (no agent,
 * mode=observe, mode=recycle, mode=recycle with JVMTI transitions off), driven from this JVM at fixed
 * request rates and flat out, with latency percentiles free of coordinated omission and the server's
 * CPU, allocation and GC per step. Prints benchstat-style tables and a verdict per configuration.
 */
public final class ServiceAbCommand implements Command {

    @Override
    public String name() {
        return "service-ab";
    }

    @Override
    public String summary() {
        return "A/B of the Jetty service: latency percentiles, CPU, allocation, GC with and without the agent";
    }

    @Override
    public String help() {
        return Command.super.help() + "\n" + AgentJarLocator.HELP;
    }

    @Override
    public List<Option> options() {
        return Stream.concat(Stream.of(
                Option.flag("quick", "two short steps, one round: under a minute (a smoke run, not a measurement)"),
                Option.number("rounds", "n", 0, 20, 0, "server JVMs per configuration, alternating order (0 = the plan's)"),
                Option.number("step", "seconds", 0, 600, 0, "length of each load step (0 = the plan's)")),
                ReportFiles.OPTIONS.stream()).toList();
    }

    @Override
    public int run(ParsedOptions options) throws Exception {
        ReportFiles reportFiles = ReportFiles.from(options);
        ServiceAb.Plan plan = plan(options);
        Path demoClassPath = CompareCommand.demoClassPath();
        Path agentJar = AgentJarLocator.locate(demoClassPath);
        String java = ChildJvm.currentJava();
        List<ServiceConfig> configs = List.of(ServiceConfig.values());
        System.err.println("service-ab: " + java + ", agent " + agentJar + ", loads "
                + plan.loads().stream().map(Load::describe).collect(Collectors.joining(", ")));
        List<String> failures = new ArrayList<>();
        Map<ServiceAb.Key, List<StepResult>> results =
                new ServiceAb(java, demoClassPath, agentJar, plan, System.err).run(configs, failures);
        String header = header(plan, Runtime.getRuntime().availableProcessors());
        ServiceReport report = new ServiceReport(results, plan.loads(), configs);
        String tables = report.render();
        System.out.println();
        System.out.println(header);
        System.out.println();
        System.out.print(tables);
        System.out.flush();
        reportFiles.write(conditions -> ServiceAbHtml.report(report, plan.loads(), configs, header, tables, conditions));
        if (!failures.isEmpty()) {
            throw new CommandFailure(failures.size() + " server JVMs failed: " + String.join("; ", failures));
        }
        return 0;
    }

    static ServiceAb.Plan plan(ParsedOptions options) {
        ServiceAb.Plan plan = options.flag("quick") ? ServiceAb.Plan.QUICK : ServiceAb.Plan.DEFAULT;
        int rounds = options.intNumber("rounds");
        int step = options.intNumber("step");
        return new ServiceAb.Plan(plan.loads(), rounds > 0 ? rounds : plan.rounds(), plan.warmup(),
                step > 0 ? java.time.Duration.ofSeconds(step) : plan.step(), plan.heap());
    }

    /** What was measured, on what: the first line of the output, so a pasted table keeps its context. */
    static String header(ServiceAb.Plan plan, int processors) {
        return "JDK " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + "), " + processors
                + " processors, server and load generator on the same machine.\n"
                + "Server: demo serve (Jetty 12, a virtual thread per request: primes below 2,000 + 2 ms sleep), -Xmx"
                + plan.heap() + ", a fresh JVM per configuration and round.\n"
                + "Load: " + plan.rounds() + " round(s), " + plan.warmup().toSeconds() + " s warm-up, then "
                + plan.step().toSeconds() + " s per step over keep-alive connections; fixed rates are open loop,"
                + " latency from the intended send time (no coordinated omission).\n"
                + "Each cell: mean ± spread over the rounds; the change vs no agent, ~ = within noise.";
    }
}
