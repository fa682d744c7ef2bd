package dev.vtrecycler.demo.ab;

import dev.vtrecycler.demo.compare.CompareReport;
import dev.vtrecycler.demo.measure.Stats;
import dev.vtrecycler.demo.measure.Units;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Startup of the demo server, from process start to the first answered request, with the JDK's
 * default CDS archive and with an AppCDS archive of the demo (a dynamic archive from a training run
 * without the agent, the way a service builds one), each without the agent, with it, and with it
 * forced to append to the boot class path ({@code bootstrap=append}), which switches AppCDS off.
 * Runs are interleaved (every variant once per round) so machine noise spreads over all of them.
 */
public final class StartupRun {
    /** One way to start: the agent options and whether the AppCDS archive is used. */
    public record Variant(String agent, String agentArguments, boolean appCds) {
        String describe() {
            return agent + (appCds ? ", AppCDS" : ", default CDS");
        }
    }

    /** One start: time to the first answered request; classes loaded, and how many came from a CDS archive. */
    public record Start(double nanos, long classes, long shared) {
        static final String SHARED = "source: shared objects file";

        /** Counts {@code -Xlog:class+load} lines: every loaded class, and those read from an archive. */
        static Start of(double nanos, List<String> classLoadLog) {
            long classes = classLoadLog.stream().filter(l -> l.contains("[class,load]")).count();
            long shared = classLoadLog.stream().filter(l -> l.contains(SHARED)).count();
            return new Start(nanos, classes, shared);
        }
    }

    static final List<String> AGENTS = List.of("no agent", "mode=recycle", "mode=recycle, bootstrap=append");
    private static final Map<String, String> AGENT_ARGUMENTS = Map.of(
            "no agent", "", "mode=recycle", "mode=recycle,port=none", "mode=recycle, bootstrap=append",
            "mode=recycle,port=none,bootstrap=append");

    private final String java;
    private final Path demoJar;
    private final Path agentJar;
    private final PrintStream progress;

    public StartupRun(String java, Path demoJar, Path agentJar, PrintStream progress) {
        this.java = java;
        this.demoJar = demoJar;
        this.agentJar = agentJar;
        this.progress = progress;
    }

    static List<Variant> variants() {
        List<Variant> variants = new ArrayList<>();
        for (String agent : AGENTS) {
            variants.add(new Variant(agent, AGENT_ARGUMENTS.get(agent), false));
            variants.add(new Variant(agent, AGENT_ARGUMENTS.get(agent), true));
        }
        return variants;
    }

    /** Per variant, one start per round: time from process start to the first answered request, class counts. */
    public Map<Variant, List<Start>> run(int rounds) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("vtrecycler-startup");
        Path archive = dir.resolve("demo.jsa");
        try {
            train(archive);
            Map<Variant, List<Start>> results = new LinkedHashMap<>();
            int starts = 0;
            for (int round = 1; round <= rounds; round++) {
                for (Variant variant : variants()) {
                    // a file per start, no rotation: HotSpot would otherwise rotate into .0, .1, ... files
                    Path classLog = dir.resolve("class-load-" + (++starts) + ".log");
                    List<String> command = command(variant, archive);
                    command.add(1, "-Xlog:class+load=info:file=" + classLog + "::filecount=0");
                    Start start = Start.of(timeToFirstRequest(command), Files.readAllLines(classLog));
                    results.computeIfAbsent(variant, v -> new ArrayList<>()).add(start);
                    progress.println("startup round " + round + "/" + rounds + " " + variant.describe() + ": "
                            + Units.duration(start.nanos()) + ", " + start.shared() + " of " + start.classes()
                            + " classes from CDS archives");
                }
            }
            return results;
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** The training run: no agent, some requests, a clean stop; the JVM writes the archive as it exits. */
    private void train(Path archive) throws IOException, InterruptedException {
        progress.println("startup: training run, writing an AppCDS archive at exit");
        List<String> command = new ArrayList<>(List.of(java, "-XX:ArchiveClassesAtExit=" + archive));
        command.addAll(serve());
        try (ServerJvm server = ServerJvm.start(command, progress::println)) {
            int port = server.awaitPort(60);
            try (KeepAliveConnection connection = new KeepAliveConnection(port)) {
                for (int i = 0; i < 200; i++) {
                    connection.get("/");
                }
            }
            if (!server.stop(120) || !Files.isRegularFile(archive)) {
                throw new IOException("the training run wrote no archive" + server.tail());
            }
        }
    }

    private double timeToFirstRequest(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        try (ServerJvm server = ServerJvm.start(command, line -> { })) {
            int port = server.awaitPort(60);
            try (KeepAliveConnection connection = new KeepAliveConnection(port)) {
                connection.get("/");
            }
            double nanos = System.nanoTime() - start;
            String tail = server.tail();
            if (tail.contains("Sharing is only supported") && !command.toString().contains("bootstrap=append")) {
                throw new IOException("HotSpot turned class-data sharing off" + tail);
            }
            return nanos;
        }
    }

    List<String> command(Variant variant, Path archive) {
        List<String> command = new ArrayList<>(List.of(java));
        if (variant.appCds()) {
            command.add("-XX:SharedArchiveFile=" + archive);
        }
        if (!variant.agentArguments().isEmpty()) {
            command.add("-javaagent:" + agentJar + "=" + variant.agentArguments());
        }
        command.addAll(serve());
        return command;
    }

    /** AppCDS archives only classes from jars: the demo must run from its jar, not a classes directory. */
    private List<String> serve() {
        return List.of("-cp", demoJar.toString(), "dev.vtrecycler.demo.Main", "serve", "--port", "0", "--duration", "0");
    }

    /**
     * A row per agent variant; time to the first request (mean ± spread) with default CDS and with
     * AppCDS, then classes read from an archive out of all loaded (last start; they barely vary).
     */
    public static String table(Map<Variant, List<Start>> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"first served request", "default CDS", "AppCDS", "shared/loaded, default", "shared/loaded, AppCDS"});
        for (String agent : AGENTS) {
            List<Start> plain = results.get(new Variant(agent, AGENT_ARGUMENTS.get(agent), false));
            List<Start> app = results.get(new Variant(agent, AGENT_ARGUMENTS.get(agent), true));
            rows.add(new String[] {agent, time(plain), time(app), classes(plain), classes(app)});
        }
        return CompareReport.columns(rows);
    }

    private static String time(List<Start> sample) {
        if (sample == null || sample.isEmpty()) {
            return "n/a";
        }
        Stats stats = Stats.of(sample.stream().mapToDouble(Start::nanos).toArray());
        return Units.duration(stats.mean()) + " " + CompareReport.spread(stats.spreadPercent());
    }

    private static String classes(List<Start> sample) {
        if (sample == null || sample.isEmpty()) {
            return "n/a";
        }
        Start last = sample.get(sample.size() - 1);
        return last.shared() + "/" + last.classes();
    }
}
