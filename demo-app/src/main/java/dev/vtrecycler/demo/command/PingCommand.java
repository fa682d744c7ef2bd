package dev.vtrecycler.demo.command;

import dev.vtrecycler.demo.cli.Option;
import dev.vtrecycler.demo.cli.ParsedOptions;
import dev.vtrecycler.demo.measure.IterationRunner;
import dev.vtrecycler.demo.measure.ResultLine;
import dev.vtrecycler.demo.measure.ThreadReuse;
import dev.vtrecycler.demo.workload.PingServer;
import dev.vtrecycler.demo.workload.PingWorkload;
import java.util.List;

/** {@code ping}: the seed's PingUrl, rounds of virtual threads doing one loopback HTTP GET each. */
public final class PingCommand implements Command {
    /** The seed's Ping: 20 rounds of 20 goroutines. */
    public static final int DEFAULT_ROUNDS = 20;
    public static final int DEFAULT_THREADS = 20;

    @Override
    public String name() {
        return "ping";
    }

    @Override
    public String summary() {
        return "rounds of virtual threads, one loopback HTTP GET each (the seed's PingUrl)";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.number("rounds", "n", 1, 100_000, DEFAULT_ROUNDS, "rounds per operation"),
                Option.number("threads", "n", 1, 10_000, DEFAULT_THREADS, "virtual threads per round"),
                Option.number("warmup", "ops", 0, 10_000, 0, "unmeasured operations first"),
                Option.number("iterations", "ops", 1, 10_000, 1, "measured operations"),
                Option.number("target-port", "port", 0, 65535, 0,
                        "GET from a server already listening on this loopback port (0 = start one here)"),
                Option.flag("machine", "also print machine-readable lines (used by compare)"));
    }

    @Override
    public int run(ParsedOptions options) throws Exception {
        int targetPort = options.intNumber("target-port");
        PingServer ownServer = targetPort == 0 ? PingServer.start() : null;
        try {
            int port = ownServer != null ? ownServer.port() : targetPort;
            PingWorkload ping = new PingWorkload(port, options.intNumber("rounds"), options.intNumber("threads"));
            boolean machine = options.flag("machine");
            new IterationRunner(name(), System.out, System.err).run(
                    () -> ping.run() + " GETs on port " + port,
                    options.intNumber("warmup"), options.intNumber("iterations"), machine);
            if (machine) {
                long[] ids = new long[ping.tasksPerOperation()];
                ping.run(ids);
                System.out.println(ResultLine.format(ThreadReuse.of(ids, ids.length)));
            }
            return 0;
        } finally {
            if (ownServer != null) {
                ownServer.close();
            }
        }
    }
}
