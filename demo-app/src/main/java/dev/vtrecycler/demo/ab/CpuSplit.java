package dev.vtrecycler.demo.ab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Which CPUs the server JVM (and a neighbour) may run on, and which the load generator (this JVM):
 * {@code taskset -c}, so the two never take turns on one core. Unpinned on 2 cores, the server and
 * the generator share both cores as the kernel pleases, and how it shares them differs from JVM to
 * JVM: two identical configurations differed by 0.82x-1.29x per round at saturation. With the
 * generator on a core of its own, the saturation step measures the server's capacity on its cores.
 * {@link #NONE} leaves both where the kernel puts them.
 *
 * @param server the server's CPU list in taskset's syntax ("1", "2-3", "0,2"), null when unpinned
 * @param load   the load generator's CPU list, null when unpinned
 */
public record CpuSplit(String server, String load) {
    public static final CpuSplit NONE = new CpuSplit(null, null);
    private static final Pattern LIST = Pattern.compile("\\d{1,4}(-\\d{1,4})?(,\\d{1,4}(-\\d{1,4})?)*");

    /**
     * Parses "server/load", e.g. "1/0": the server on CPU 1, the generator on CPU 0. Each side is a
     * CPU list; the two may not share a CPU, and each CPU must be one of the {@code processors} this
     * JVM may run on (numbered from 0).
     */
    public static CpuSplit parse(String text, int processors) {
        String[] sides = text.trim().split("/", -1);
        if (sides.length != 2 || !LIST.matcher(sides[0].trim()).matches() || !LIST.matcher(sides[1].trim()).matches()) {
            throw new IllegalArgumentException("must be the server's CPUs and the load generator's, as"
                    + " taskset CPU lists separated by '/', e.g. 1/0 or 2-3/0-1; got '" + text.trim() + "'");
        }
        BitSet server = cpus(sides[0].trim(), processors);
        BitSet load = cpus(sides[1].trim(), processors);
        if (server.intersects(load)) {
            throw new IllegalArgumentException("gives CPUs to both the server and the load generator ('"
                    + text.trim() + "'): they must not share one");
        }
        return new CpuSplit(sides[0].trim(), sides[1].trim());
    }

    private static BitSet cpus(String list, int processors) {
        BitSet cpus = new BitSet();
        for (String range : list.split(",")) {
            String[] ends = range.split("-");
            int from = Integer.parseInt(ends[0]);
            int to = ends.length == 2 ? Integer.parseInt(ends[1]) : from;
            if (from > to || to >= processors) {
                throw new IllegalArgumentException("names CPU " + (from > to ? "range " + range : to) + ", but this"
                        + " machine lets the load generator use CPUs 0-" + (processors - 1));
            }
            cpus.set(from, to + 1);
        }
        return cpus;
    }

    public boolean pinned() {
        return server != null;
    }

    /** The server's (and the neighbour's) command: {@code taskset -c <server> <command>} when pinned. */
    List<String> serverCommand(List<String> command) {
        if (!pinned()) {
            return command;
        }
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", server));
        pinned.addAll(command);
        return pinned;
    }

    /**
     * Moves every thread of this JVM onto the generator's CPUs ({@code taskset -a -p}); threads
     * started later inherit their creator's affinity. Throws with taskset's own words when it fails
     * (not installed, not Linux), before anything was measured.
     */
    public void pinThisJvm() throws IOException, InterruptedException {
        if (!pinned()) {
            return;
        }
        List<String> command = List.of("taskset", "-a", "-p", "-c", load, Long.toString(ProcessHandle.current().pid()));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot pin the load generator: taskset did not start (" + e.getMessage()
                    + "); it comes with util-linux", e);
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("cannot pin the load generator: " + String.join(" ", command) + ": " + output);
        }
    }

    /** The header's words: "server on CPUs 1, load generator on CPUs 0" or "unpinned". */
    public String describe() {
        return pinned() ? "server on CPU(s) " + server + ", load generator on CPU(s) " + load : "server and load"
                + " generator unpinned";
    }
}
