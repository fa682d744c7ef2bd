package dev.vtrecycler.demo.compare;

import dev.vtrecycler.demo.measure.ResultLine;
import dev.vtrecycler.demo.measure.Stats;
import java.util.List;

/**
 * What one child JVM reported: its measured iterations and the thread-reuse probe, or why it
 * failed (then {@code failure} says why, with the child's last stderr lines, and the measurements
 * may be partial). {@code workloadStarted} is false when the JVM died before the workload said
 * anything: typically an agent that cannot start, which will fail the same way for every run.
 */
public record RunResult(List<ResultLine.Measurement> measurements, ResultLine.Reuse reuse,
                        boolean workloadStarted, String failure) {

    public static RunResult skipped(String why) {
        return new RunResult(List.of(), null, false, why);
    }

    public boolean ok() {
        return failure == null && !measurements.isEmpty();
    }

    public Stats time() {
        return Stats.of(measurements.stream().mapToDouble(ResultLine.Measurement::nanos).toArray());
    }

    public Stats alloc() {
        return Stats.of(measurements.stream().mapToDouble(ResultLine.Measurement::bytes).toArray());
    }
}
