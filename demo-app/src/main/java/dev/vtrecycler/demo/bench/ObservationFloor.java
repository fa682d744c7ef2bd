package dev.vtrecycler.demo.bench;

import dev.vtrecycler.demo.compare.AgentJarLocator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link ObservationFloorBenchmark} in three kinds of forked JVM, interleaved round by round
 * (no agent, empty agent, {@code mode=observe}; then again), and prints per-thread medians and the
 * median of the per-round ratios, in wall time per thread. Interleaving pairs each observe fork
 * with an empty-agent fork that ran next to it, so load from other processes on a shared machine
 * hits both alike. (A carrier-CPU column was dropped: it reported more CPU than wall time per thread
 * at one carrier, which a plain program measuring the same carrier the same way does not.)
 *
 * <p>Each fork's figure is the median of its measured iterations. Forks of every arm sometimes
 * start in a slow mode, two to four times slower per thread, and leave it after some seconds (a
 * quiet-machine run of six forks of one arm: five at 257-263 ns per thread in every iteration, one
 * at 729-865 ns for four iterations, then 310 ns); the benchmark's ten warm-up seconds let most
 * forks leave it before measuring, and the median keeps a late one from deciding a round.
 *
 * <pre>
 * java -cp demo-app/target/vtrecycler-demo.jar dev.vtrecycler.demo.bench.ObservationFloor [rounds]
 * </pre>
 *
 * The empty agent is built here: a jar holding only a manifest whose {@code Premain-Class} is
 * {@link EmptyAgent} (already on the fork's class path). The vtrecycler agent is found the way
 * {@code compare} finds it ({@code -Dvtrecycler.agent.jar=...} or beside the demo jar). With
 * {@code -Dvtrecycler.floor.before.jar=<another agent jar>} a fourth arm runs that build in
 * {@code mode=observe} in the same rounds, to compare a change of the hooks with what it replaces.
 */
public final class ObservationFloor {
    /** Another build of the agent jar to run as a fourth arm, {@code mode=observe}: a change's before and after in the same rounds. */
    static final String BEFORE_PROPERTY = "vtrecycler.floor.before.jar";

    private ObservationFloor() {}

    public static void main(String[] args) throws IOException, RunnerException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path demoJar = demoJar();
        Path emptyAgent = emptyAgentJar();
        Path agent = AgentJarLocator.locate(demoJar);

        Map<String, String[]> arms = new LinkedHashMap<>();
        arms.put("no agent", new String[0]);
        arms.put("empty agent", new String[] {"-javaagent:" + emptyAgent});
        arms.put("mode=observe", new String[] {"-javaagent:" + agent + "=mode=observe,port=none"});
        String before = System.getProperty(BEFORE_PROPERTY);
        if (before != null && !before.isBlank()) {
            arms.put("observe before", new String[] {"-javaagent:" + Paths.get(before).toAbsolutePath() + "=mode=observe,port=none"});
        }

        // scores.get(benchmark).get(arm) = one score (ns per thread) per round
        Map<String, Map<String, List<Double>>> scores = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Map.Entry<String, String[]> arm : arms.entrySet()) {
                System.err.printf("round %d/%d: %s%n", round, rounds, arm.getKey());
                for (RunResult r : run(arm.getValue())) {
                    String bench = r.getParams().getBenchmark();
                    bench = bench.substring(bench.lastIndexOf('.') + 1);
                    // A fork's figure is the median of its iterations: a fork that starts slow (see
                    // the class comment) and recovers mid-run would otherwise count with its mean.
                    List<Double> wall = new ArrayList<>();
                    for (BenchmarkResult fork : r.getBenchmarkResults()) {
                        for (IterationResult it : fork.getIterationResults()) {
                            wall.add(it.getPrimaryResult().getScore());
                        }
                    }
                    add(scores, bench, arm.getKey(), median(wall));
                }
            }
        }
        System.out.print(report(scores, rounds));
        Files.deleteIfExists(emptyAgent);
    }

    private static void add(Map<String, Map<String, List<Double>>> scores, String metric, String arm, double value) {
        scores.computeIfAbsent(metric, m -> new LinkedHashMap<>()).computeIfAbsent(arm, a -> new ArrayList<>()).add(value);
    }

    private static Collection<RunResult> run(String[] agentArgs) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(ObservationFloorBenchmark.class.getName())
                .jvmArgsAppend(agentArgs)
                .verbosity(VerboseMode.SILENT)
                .build();
        return new Runner(options).run();
    }

    static String report(Map<String, Map<String, List<Double>>> scores, int rounds) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "JDK %s, %d processors, parallelism 1, %d interleaved rounds;"
                        + " wall-time ns per virtual thread, median of the forks (min-max)%n",
                System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(), rounds));
        for (Map.Entry<String, Map<String, List<Double>>> bench : scores.entrySet()) {
            Map<String, List<Double>> arms = bench.getValue();
            out.append(bench.getKey()).append('\n');
            for (Map.Entry<String, List<Double>> arm : arms.entrySet()) {
                out.append(String.format(Locale.ROOT, "  %-15s %7.1f ns  (%.1f-%.1f)%n", arm.getKey(),
                        median(arm.getValue()), min(arm.getValue()), max(arm.getValue())));
            }
            ratio(out, arms, "mode=observe", "empty agent");
            ratio(out, arms, "empty agent", "no agent");
            if (arms.containsKey("observe before")) {
                ratio(out, arms, "observe before", "empty agent");
            }
            List<Double> observe = arms.get("mode=observe");
            List<Double> empty = arms.get("empty agent");
            List<Double> diffs = new ArrayList<>();
            for (int i = 0; i < observe.size(); i++) {
                diffs.add(observe.get(i) - empty.get(i));
            }
            out.append(String.format(Locale.ROOT, "  hooks per thread (observe - empty, paired): median %.1f ns (%.1f to %.1f)%n",
                    median(diffs), min(diffs), max(diffs)));
        }
        return out.toString();
    }

    private static void ratio(StringBuilder out, Map<String, List<Double>> arms, String a, String b) {
        List<Double> x = arms.get(a);
        List<Double> y = arms.get(b);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            ratios.add(x.get(i) / y.get(i));
        }
        out.append(String.format(Locale.ROOT, "  %s / %s: %.3fx (rounds %.3f-%.3f)%n", a, b,
                median(ratios), min(ratios), max(ratios)));
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static Path demoJar() {
        try {
            return Paths.get(ObservationFloor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate the demo jar", e);
        }
    }

    /** A jar with nothing but a manifest naming {@link EmptyAgent} as its Premain-Class. */
    private static Path emptyAgentJar() throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), EmptyAgent.class.getName());
        Path jar = Files.createTempFile("vtrecycler-empty-agent", ".jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            // a manifest is all an agent jar needs when its Premain-Class is on the class path already
        }
        return jar;
    }
}
