package dev.vtrecycler.demo.measure;

import java.util.Arrays;
import java.util.stream.DoubleStream;

/**
 * Mean and spread of a sample as benchstat (v1) reports them: outliers outside Tukey's fences
 * (1.5 interquartile ranges beyond the quartiles) are dropped, then "± x%" is the largest distance
 * of a kept value from the kept mean, relative to that mean.
 */
public record Stats(double mean, double spreadPercent, int kept, int total) {

    public static Stats of(double[] sample) {
        if (sample.length == 0) {
            throw new IllegalArgumentException("empty sample");
        }
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        double q1 = quantile(sorted, 0.25);
        double q3 = quantile(sorted, 0.75);
        double iqr = q3 - q1;
        double low = q1 - 1.5 * iqr;
        double high = q3 + 1.5 * iqr;
        double[] kept = DoubleStream.of(sorted).filter(v -> v >= low && v <= high).toArray();
        double mean = DoubleStream.of(kept).average().orElseThrow();
        double maxDistance = DoubleStream.of(kept).map(v -> Math.abs(v - mean)).max().orElseThrow();
        double spread = mean == 0 ? 0 : 100 * maxDistance / mean;
        return new Stats(mean, spread, kept.length, sample.length);
    }

    /** The median (the mean of the middle two for an even count); what per-round ratios are summed up by. */
    public static double median(double... sample) {
        if (sample.length == 0) {
            throw new IllegalArgumentException("empty sample");
        }
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        return quantile(sorted, 0.5);
    }

    /** Linear interpolation between closest ranks. */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = (int) Math.ceil(position);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }
}
