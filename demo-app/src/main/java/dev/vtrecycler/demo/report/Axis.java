package dev.vtrecycler.demo.report;

import java.util.ArrayList;
import java.util.List;

/** A value axis: its range, where a value falls on it (0 at the bottom, 1 at the top) and its ticks. */
record Axis(double min, double max, boolean log, List<Double> ticks) {

    /**
     * From 0 to a round number above {@code highest}, with headroom for the value labels drawn above
     * the bars; 4 to 6 ticks at 1, 2, 2.5 or 5 times a power of ten.
     */
    static Axis linear(double highest) {
        double top = highest <= 0 || Double.isNaN(highest) ? 1 : highest * 1.3;
        double rawStep = top / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(rawStep)));
        double step = magnitude * 10;
        for (double factor : new double[] {1, 2, 2.5, 5, 10}) {
            if (factor * magnitude >= rawStep) {
                step = factor * magnitude;
                break;
            }
        }
        double max = Math.ceil(top / step) * step;
        List<Double> ticks = new ArrayList<>();
        for (int i = 0; i * step <= max * (1 + 1e-9); i++) {
            ticks.add(i * step);
        }
        return new Axis(0, max, false, ticks);
    }

    /** Whole decades around the values, a tick at every power of ten (and at 2 and 5 when it spans one decade). */
    static Axis logarithmic(double lowest, double highest) {
        if (!(lowest > 0) || !(highest > 0)) {
            return linear(highest);
        }
        double min = Math.pow(10, Math.floor(Math.log10(lowest)));
        double max = Math.pow(10, Math.ceil(Math.log10(highest * 2))); // headroom for labels above the bars
        if (max <= min) {
            max = min * 10;
        }
        List<Double> ticks = new ArrayList<>();
        boolean oneDecade = max / min <= 10.0001;
        for (double decade = min; decade <= max * 1.0001; decade *= 10) {
            ticks.add(decade);
            if (oneDecade && decade < max / 1.0001) {
                ticks.add(decade * 2);
                ticks.add(decade * 5);
            }
        }
        return new Axis(min, max, true, ticks);
    }

    /** 0 at the bottom of the axis, 1 at its top; values outside are clamped. */
    double position(double value) {
        double p = log
                ? (Math.log10(Math.max(value, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
                : (value - min) / (max - min);
        return Math.max(0, Math.min(1, p));
    }
}
