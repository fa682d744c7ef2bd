package dev.vtrecycler.it.frameworks;

import dev.vtrecycler.it.routing.BootCounters;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * A forked server for {@link FrameworksIT} and {@link TomcatThroughputIT}: starts one server from
 * {@link Servers}, prints {@code PORT <n>}, then answers stdin commands: {@code STATS} prints one
 * line of counters (handler counts, bytes allocated by all threads so far, the agent's counters),
 * {@code EXIT} stops the server and exits.
 *
 * <p>args: server name, then {@code track} to count distinct handler threads.
 */
public final class ServerMain {
    private ServerMain() {}

    public static void main(String[] args) throws Exception {
        Handled.tracking = args.length > 1 && args[1].equals("track");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Servers.Running server = Servers.start(args[0])) {
            System.out.println("PORT " + server.port());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("STATS")) {
                    System.out.println("STATS " + Handled.summary()
                            + " allocatedBytes=" + threads.getTotalThreadAllocatedBytes()
                            + " reusedTasks=" + BootCounters.reusedTasks()
                            + " recyclerTasks=" + BootCounters.recyclerTasks()
                            + " routedStarts=" + BootCounters.routedStarts()
                            + " executors=" + BootCounters.executorsCreated()
                            + " sitesDirect=" + BootCounters.routedCallSites(0)
                            + " sitesReflective=" + BootCounters.routedCallSites(1)
                            + " sitesLocal=" + BootCounters.routedCallSites(2));
                } else if (line.equals("EXIT")) {
                    break;
                }
            }
        }
        System.out.println("RESULT ok");
        System.exit(0); // servers may leave non-daemon threads behind after stop
    }
}
