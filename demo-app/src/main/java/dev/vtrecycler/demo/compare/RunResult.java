package dev.vtrecycler.demo.compare;

import dev.vtrecycler.demo.measure.ResultLine;
import dev.vtrecycler.demo.measure.Stats;
import java.util.List;

/**
 * What one child JVM reported: its measured iterations and the thread-reuse probe, or why it
 * failed (then {@code failure} is one line and the measurements may be partial).
 */
public record RunResult(List<ResultLine.Measurement> measurements, ResultLine.Reuse reuse, String failure) {

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
