package dev.vtrecycler.demo.measure;

import java.io.PrintStream;

/**
 * Runs a workload's operation: warm-up first (JIT, class loading, pools filling), then measured
 * iterations, each timed with {@code nanoTime} and charged the JVM-wide allocated bytes
 * ({@link AllocationCounter}) between its start and end. Progress goes to stderr; with
 * {@code machine} each measurement is also printed as a {@link ResultLine} for a {@code compare}
 * parent.
 */
public final class IterationRunner {

    /** One operation of a workload; returns a value to print so the JIT cannot drop the work. */
    @FunctionalInterface
    public interface Operation {
        Object run() throws Exception;
    }

    private final String workload;
    private final PrintStream out;
    private final PrintStream progress;

    public IterationRunner(String workload, PrintStream out, PrintStream progress) {
        this.workload = workload;
        this.out = out;
        this.progress = progress;
    }

    public void run(Operation op, int warmups, int iterations, boolean machine) throws Exception {
        AllocationCounter.requireSupported();
        for (int i = 1; i <= warmups; i++) {
            progress.println(workload + ": warm-up " + i + " of " + warmups);
            op.run();
        }
        for (int i = 1; i <= iterations; i++) {
            long bytesBefore = AllocationCounter.totalAllocatedBytes();
            long start = System.nanoTime();
            Object result = op.run();
            long nanos = System.nanoTime() - start;
            long bytes = AllocationCounter.totalAllocatedBytes() - bytesBefore;
            ResultLine.Measurement m = new ResultLine.Measurement(i, nanos, bytes);
            if (machine) {
                out.println(ResultLine.format(m));
            }
            out.println(workload + ": iteration " + i + " of " + iterations + ": " + result + " in "
                    + Units.duration(nanos) + ", " + Units.bytes(bytes) + " allocated");
        }
        out.flush();
    }
}
