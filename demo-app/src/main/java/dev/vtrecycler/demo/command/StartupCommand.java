package dev.vtrecycler.demo.command;

import dev.vtrecycler.demo.ab.StartupRun;
import dev.vtrecycler.demo.cli.Option;
import dev.vtrecycler.demo.cli.ParsedOptions;
import dev.vtrecycler.demo.compare.AgentJarLocator;
import dev.vtrecycler.demo.compare.ChildJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code startup}: the demo server's time to its first served request with the JDK's default CDS
 * archive and with an AppCDS archive, without the agent, with it, and with it appending to the boot
 * class path (the classic way, which costs AppCDS).
 */
public final class StartupCommand implements Command {

    @Override
    public String name() {
        return "startup";
    }

    @Override
    public String summary() {
        return "time to the server's first served request, default CDS vs AppCDS, with and without the agent";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.number("rounds", "n", 1, 50, 5, "server starts per variant, interleaved"));
    }

    @Override
    public int run(ParsedOptions options) throws Exception {
        Path demoJar = CompareCommand.demoClassPath();
        Path agentJar = AgentJarLocator.locate(demoJar);
        String java = ChildJvm.currentJava();
        Map<StartupRun.Variant, List<StartupRun.Start>> results =
                new StartupRun(java, demoJar, agentJar, System.err).run(options.intNumber("rounds"));
        System.out.println();
        System.out.println("JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                + " processors. Process start to the first answered GET, mean ± spread over "
                + options.intNumber("rounds") + " starts each, interleaved.");
        System.out.println("AppCDS: a dynamic archive (-XX:ArchiveClassesAtExit) from a training run without the agent."
                + " shared/loaded: classes read from a CDS archive / all classes loaded (-Xlog:class+load).");
        System.out.println();
        System.out.print(StartupRun.table(results));
        return 0;
    }
}
