package dev.vtrecycler.demo.report;

import java.util.List;
import java.util.function.DoubleFunction;

/**
 * What one chart shows: a series per configuration (the legend), drawn in one or more side-by-side
 * panels, each with its own categories (workload rows, request rates) and its own value axis, so a
 * 400 ms sieve op and a 40 ms ping op each fill their panel. Every value carries its spread, drawn as
 * an error bar.
 *
 * @param id          file name of the exported SVG and element id in the HTML page
 * @param note        one line under the title: what was measured and how busy the machine was
 * @param unit        the axis title
 * @param format      how a value is written on the axis, the bars and the tooltips
 */
public record Chart(String id, String title, String note, String unit, Style style, Scale scale,
                    List<String> series, List<Panel> panels, DoubleFunction<String> format) {

    public enum Style { BARS, LINES }

    /** LOG for figures that span decades (allocation with and without recycling, tail latency at saturation). */
    public enum Scale { LINEAR, LOG }

    /** A mean and its spread in percent (benchstat's ±); {@link #MISSING} for a run that failed. */
    public record Value(double mean, double spreadPercent) {
        public static final Value MISSING = new Value(Double.NaN, 0);

        public boolean present() {
            return !Double.isNaN(mean);
        }

        double low() {
            return mean * (1 - spreadPercent / 100);
        }

        double high() {
            return mean * (1 + spreadPercent / 100);
        }
    }

    /** {@code values.get(s).get(c)}: series s at category c. */
    public record Panel(String title, List<String> categories, List<List<Value>> values) {}
}
