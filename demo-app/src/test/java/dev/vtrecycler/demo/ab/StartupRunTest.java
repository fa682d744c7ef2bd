package dev.vtrecycler.demo.ab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupRunTest {
    private final StartupRun run = new StartupRun("java", Path.of("demo.jar"), Path.of("agent.jar"), System.err);

    @Test
    void sixVariantsDifferOnlyInArchiveAndAgentOptions() {
        Path archive = Path.of("demo.jsa");
        List<List<String>> commands = StartupRun.variants().stream().map(v -> run.command(v, archive)).toList();

        assertThat(commands).hasSize(6).allSatisfy(c -> assertThat(c).startsWith("java")
                .endsWith("-cp", "demo.jar", "dev.vtrecycler.demo.Main", "serve", "--port", "0", "--duration", "0"));
        assertThat(commands.get(0)).hasSize(9);
        assertThat(commands.get(1)).containsSequence("java", "-XX:SharedArchiveFile=demo.jsa", "-cp");
        assertThat(commands.get(2)).contains("-javaagent:agent.jar=mode=recycle,port=none").doesNotContain("-XX:SharedArchiveFile=demo.jsa");
        assertThat(commands.get(5)).contains("-XX:SharedArchiveFile=demo.jsa", "-javaagent:agent.jar=mode=recycle,port=none,bootstrap=append");
    }

    @Test
    void tableHasARowPerAgentAndAColumnPerArchive() {
        Map<StartupRun.Variant, List<StartupRun.Start>> results = new LinkedHashMap<>();
        List<StartupRun.Variant> variants = StartupRun.variants();
        for (int i = 0; i < variants.size(); i++) {
            double base = (i + 1) * 100e6;
            results.put(variants.get(i), List.of(new StartupRun.Start(base * 0.9, 1, 1),
                    new StartupRun.Start(base * 1.1, 4000 + i, 1300 + i)));
        }
        results.remove(variants.get(5));

        List<String> lines = StartupRun.table(results).lines().toList();

        assertThat(lines).containsExactly(
                "first served request             default CDS   AppCDS       shared/loaded, default   shared/loaded, AppCDS",
                "no agent                         100ms ±10%    200ms ±10%   1300/4000                1301/4001",
                "mode=recycle                     300ms ±10%    400ms ±10%   1302/4002                1303/4003",
                "mode=recycle, bootstrap=append   500ms ±10%    n/a          1304/4004                n/a");
    }

    @Test
    void countsLoadedAndSharedClassesInTheClassLoadLog() {
        List<String> log = List.of(
                "[0.010s][info][class,load] java.lang.Object source: shared objects file",
                "[0.020s][info][class,load] org.eclipse.jetty.server.Server source: shared objects file (top)",
                "[0.030s][info][class,load] dev.vtrecycler.bootstrap.VtHooks source: __JVM_DefineClass__",
                "[0.040s][info][class,load] dev.vtrecycler.demo.Main source: file:/x/demo.jar",
                "[0.050s][info][cds] something else");

        assertThat(StartupRun.Start.of(5e6, log)).isEqualTo(new StartupRun.Start(5e6, 4, 2));
    }
}
