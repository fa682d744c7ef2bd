package dev.vtrecycler.demo.measure;

import java.util.Optional;

/**
 * The machine-readable lines a workload prints with {@code --machine}, and their parser: the
 * contract between a {@code compare} parent and its child JVMs.
 *
 * <pre>
 * vtrecycler-result iteration=3 nanos=1023456789 bytes=1830000
 * vtrecycler-reuse started=1000 distinct=64
 * </pre>
 */
public final class ResultLine {
    public static final String RESULT = "vtrecycler-result";
    public static final String REUSE = "vtrecycler-reuse";

    private ResultLine() {}

    public record Measurement(int iteration, long nanos, long bytes) {}

    /** How many tasks the workload started and on how many distinct threads they ran. */
    public record Reuse(long started, long distinct) {}

    public static String format(Measurement m) {
        return RESULT + " iteration=" + m.iteration() + " nanos=" + m.nanos() + " bytes=" + m.bytes();
    }

    public static String format(Reuse r) {
        return REUSE + " started=" + r.started() + " distinct=" + r.distinct();
    }

    public static Optional<Measurement> parseMeasurement(String line) {
        if (!line.startsWith(RESULT + " ")) {
            return Optional.empty();
        }
        return Optional.of(new Measurement(
                (int) field(line, "iteration"), field(line, "nanos"), field(line, "bytes")));
    }

    public static Optional<Reuse> parseReuse(String line) {
        if (!line.startsWith(REUSE + " ")) {
            return Optional.empty();
        }
        return Optional.of(new Reuse(field(line, "started"), field(line, "distinct")));
    }

    /** The number after " name=" in a line; throws IllegalArgumentException if it is missing or not a number. */
    static long field(String line, String name) {
        String key = " " + name + "=";
        int start = line.indexOf(key);
        if (start < 0) {
            throw new IllegalArgumentException("no " + name + "= in '" + line + "'");
        }
        start += key.length();
        int end = line.indexOf(' ', start);
        return Long.parseLong(line.substring(start, end < 0 ? line.length() : end));
    }
}
