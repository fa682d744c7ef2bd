package dev.vtrecycler.demo.ab;

import dev.vtrecycler.demo.measure.ProcessStats;
import org.HdrHistogram.Histogram;

/**
 * What one load step measured: the generator's side (achieved rate, latency percentiles, errors) and
 * the server's (the difference of its {@code /-/stats} before and after). Times in nanoseconds.
 */
public record StepResult(double achievedPerSecond, double p50, double p99, double p999, long completed, long errors,
                         ProcessStats server) {

    static StepResult of(LoadStep.Outcome outcome, ProcessStats serverDelta) {
        Histogram h = outcome.latency();
        return new StepResult(outcome.achievedPerSecond(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), outcome.completed(), outcome.errors(), serverDelta);
    }

    /** Server CPU time (all threads) per 1,000 answered requests. */
    public double cpuPerThousand() {
        return completed == 0 ? 0 : server.cpuNanos() * 1000.0 / completed;
    }

    /**
     * CPUs the server kept busy during the step (its CPU time over the step's length): at saturation
     * it should be about all the CPUs the server has; well below that, something else (the load
     * generator's share of the machine, a neighbour) set the pace, not the server.
     */
    public double serverCpus() {
        return cpuPerThousand() * achievedPerSecond / 1e12;
    }

    /** Bytes the server allocated per answered request. */
    public double bytesPerRequest() {
        return completed == 0 ? 0 : (double) server.allocatedBytes() / completed;
    }

    public double gcCount() {
        return server.gcCount();
    }

    public double gcNanos() {
        return server.gcMillis() * 1e6;
    }

    /** The JIT compilers' time during the step ({@link dev.vtrecycler.demo.measure.CompilerCpu}). */
    public double jitNanos() {
        return server.jitNanos();
    }

    /**
     * {@link #cpuPerThousand} without the JIT compilers' time: what the requests themselves cost. In a
     * server's first minute recycling compiles more (a second path), and on the A/B's short runs that
     * work is most of the difference in CPU per request below saturation.
     */
    public double cpuPerThousandWithoutJit() {
        return completed == 0 ? 0 : Math.max(0, server.cpuNanos() - server.jitNanos()) * 1000.0 / completed;
    }
}
