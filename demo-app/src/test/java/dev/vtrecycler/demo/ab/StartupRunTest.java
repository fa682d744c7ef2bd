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
        Map<StartupRun.Variant, List<Double>> results = new LinkedHashMap<>();
        List<StartupRun.Variant> variants = StartupRun.variants();
        for (int i = 0; i < variants.size(); i++) {
            double base = (i + 1) * 100e6;
            results.put(variants.get(i), List.of(base * 0.9, base * 1.1));
        }
        results.remove(variants.get(5));

        List<String> lines = StartupRun.table(results).lines().toList();

        assertThat(lines).containsExactly(
                "first served request             default CDS   AppCDS",
                "no agent                         100ms ±10%    200ms ±10%",
                "mode=recycle                     300ms ±10%    400ms ±10%",
                "mode=recycle, bootstrap=append   500ms ±10%    n/a");
    }
}
