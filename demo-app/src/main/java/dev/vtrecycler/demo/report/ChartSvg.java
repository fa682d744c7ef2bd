package dev.vtrecycler.demo.report;

import java.util.List;

/**
 * Draws a {@link Chart} as one SVG: title, note, legend, then the panels side by side, each with its
 * value axis, grid lines, bars (or lines with points) and an error bar per value. Every bar and
 * point has a tooltip with its value and spread. Bars also carry their value as a label, so an
 * exported chart reads without hovering.
 */
public final class ChartSvg {
    /** Okabe-Ito, colour-blind safe; the first (grey) is the baseline: no agent. */
    static final List<String> PALETTE = List.of("#6b6b6b", "#E69F00", "#0072B2", "#56B4E9", "#009E73", "#CC79A7");

    private static final double TOP = 84;           // title, note, legend
    private static final double PLOT_HEIGHT = 240;
    private static final double BOTTOM = 46;        // category labels, panel title
    private static final double AXIS_WIDTH = 64;    // tick labels and axis title of each panel
    private static final double PANEL_GAP = 24;
    private static final double BAR_WIDTH = 22;
    private static final double GROUP_GAP = 28;
    private static final double LINE_CATEGORY_WIDTH = 110;

    private ChartSvg() {}

    public static String render(Chart chart) {
        double[] panelWidths = chart.panels().stream().mapToDouble(p -> plotWidth(chart, p)).toArray();
        double width = PANEL_GAP;
        for (double plotWidth : panelWidths) {
            width += AXIS_WIDTH + plotWidth + PANEL_GAP;
        }
        width = Math.max(width, 560);
        double height = TOP + PLOT_HEIGHT + BOTTOM;
        Svg svg = new Svg(width, height);
        svg.text(PANEL_GAP, 22, "start", 15, "bold", 0, chart.title());
        svg.text(PANEL_GAP, 40, "start", 11, "normal", 0, chart.note());
        legend(svg, chart);
        double x = PANEL_GAP;
        for (int p = 0; p < chart.panels().size(); p++) {
            panel(svg, chart, chart.panels().get(p), x + AXIS_WIDTH, panelWidths[p]);
            x += AXIS_WIDTH + panelWidths[p] + PANEL_GAP;
        }
        return svg.render(chart.id(), chart.title() + " (" + chart.note() + ")");
    }

    private static double plotWidth(Chart chart, Chart.Panel panel) {
        int categories = panel.categories().size();
        return chart.style() == Chart.Style.BARS
                ? categories * (chart.series().size() * BAR_WIDTH + GROUP_GAP)
                : categories * LINE_CATEGORY_WIDTH;
    }

    private static void legend(Svg svg, Chart chart) {
        double x = PANEL_GAP;
        for (int s = 0; s < chart.series().size(); s++) {
            String name = chart.series().get(s);
            svg.rect("legend", x, 52, 12, 12, color(s), null);
            svg.text(x + 16, 62, "start", 11, "normal", 0, name);
            x += 16 + name.length() * 6.6 + 18;
        }
    }

    private static void panel(Svg svg, Chart chart, Chart.Panel panel, double left, double plotWidth) {
        Axis axis = axis(chart, panel);
        double bottom = TOP + PLOT_HEIGHT;
        for (double tick : axis.ticks()) {
            double y = bottom - axis.position(tick) * PLOT_HEIGHT;
            svg.line(left, y, left + plotWidth, y, "#e3e3e3", 1);
            svg.text(left - 6, y + 4, "end", 10, "normal", 0, tick == 0 ? "0" : chart.format().apply(tick));
        }
        svg.line(left, bottom, left + plotWidth, bottom, "#444444", 1);
        svg.line(left, TOP, left, bottom, "#444444", 1);
        svg.text(left - AXIS_WIDTH + 12, TOP + PLOT_HEIGHT / 2, "middle", 11, "normal", -90,
                chart.unit() + (axis.log() ? " (log scale)" : ""));
        svg.text(left + plotWidth / 2, bottom + 38, "middle", 12, "bold", 0, panel.title());
        int categories = panel.categories().size();
        double categoryWidth = plotWidth / categories;
        for (int c = 0; c < categories; c++) {
            svg.text(left + categoryWidth * (c + 0.5), bottom + 18, "middle", 11, "normal", 0, panel.categories().get(c));
        }
        if (chart.style() == Chart.Style.BARS) {
            bars(svg, chart, panel, axis, left, categoryWidth);
        } else {
            lines(svg, chart, panel, axis, left, categoryWidth);
        }
    }

    private static Axis axis(Chart chart, Chart.Panel panel) {
        double lowest = Double.MAX_VALUE;
        double highest = 0;
        for (List<Chart.Value> series : panel.values()) {
            for (Chart.Value value : series) {
                if (value.present()) {
                    lowest = Math.min(lowest, Math.max(value.low(), value.mean() / 2));
                    highest = Math.max(highest, value.high());
                }
            }
        }
        return chart.scale() == Chart.Scale.LOG ? Axis.logarithmic(lowest, highest) : Axis.linear(highest);
    }

    private static void bars(Svg svg, Chart chart, Chart.Panel panel, Axis axis, double left, double categoryWidth) {
        double bottom = TOP + PLOT_HEIGHT;
        int seriesCount = chart.series().size();
        for (int c = 0; c < panel.categories().size(); c++) {
            double groupLeft = left + c * categoryWidth + GROUP_GAP / 2;
            for (int s = 0; s < seriesCount; s++) {
                Chart.Value value = panel.values().get(s).get(c);
                double x = groupLeft + s * BAR_WIDTH;
                double center = x + BAR_WIDTH / 2;
                if (!value.present()) {
                    svg.text(center, bottom - 6, "middle", 9, "normal", -90, "failed");
                    continue;
                }
                double top = bottom - axis.position(value.mean()) * PLOT_HEIGHT;
                svg.rect("bar", x + 1, top, BAR_WIDTH - 2, bottom - top, color(s), tooltip(chart, s, panel, c, value));
                double errorTop = errorBar(svg, axis, center, value);
                svg.text(center + 3, Math.min(top, errorTop) - 4, "start", 9, "normal", -90, chart.format().apply(value.mean()));
            }
        }
    }

    private static void lines(Svg svg, Chart chart, Chart.Panel panel, Axis axis, double left, double categoryWidth) {
        double bottom = TOP + PLOT_HEIGHT;
        int categories = panel.categories().size();
        for (int s = 0; s < chart.series().size(); s++) {
            List<Chart.Value> values = panel.values().get(s);
            int present = (int) values.stream().filter(Chart.Value::present).count();
            double[] xs = new double[present];
            double[] ys = new double[present];
            int i = 0;
            for (int c = 0; c < categories; c++) {
                Chart.Value value = values.get(c);
                if (value.present()) {
                    xs[i] = left + categoryWidth * (c + 0.5) + (s - (chart.series().size() - 1) / 2.0) * 4; // errors apart
                    ys[i] = bottom - axis.position(value.mean()) * PLOT_HEIGHT;
                    i++;
                }
            }
            if (present > 1) {
                svg.polyline("series", xs, ys, color(s));
            }
            i = 0;
            for (int c = 0; c < categories; c++) {
                Chart.Value value = values.get(c);
                if (value.present()) {
                    errorBar(svg, axis, xs[i], value);
                    svg.circle("point", xs[i], ys[i], 4, color(s), tooltip(chart, s, panel, c, value));
                    i++;
                }
            }
        }
    }

    /** Draws mean ± spread; returns the y of its top end. */
    private static double errorBar(Svg svg, Axis axis, double x, Chart.Value value) {
        double bottom = TOP + PLOT_HEIGHT;
        double yHigh = bottom - axis.position(value.high()) * PLOT_HEIGHT;
        double yLow = bottom - axis.position(value.low()) * PLOT_HEIGHT;
        if (yLow - yHigh >= 1) {
            svg.line(x, yHigh, x, yLow, "#222222", 1);
            svg.line(x - 4, yHigh, x + 4, yHigh, "#222222", 1);
            svg.line(x - 4, yLow, x + 4, yLow, "#222222", 1);
        }
        return yHigh;
    }

    private static String tooltip(Chart chart, int series, Chart.Panel panel, int category, Chart.Value value) {
        String where = panel.categories().get(category);
        where = where.startsWith(panel.title()) ? where : panel.title() + " " + where;
        return where + ", " + chart.series().get(series) + ": "
                + chart.format().apply(value.mean()) + " ± " + Math.round(value.spreadPercent()) + "%";
    }

    static String color(int series) {
        return PALETTE.get(series % PALETTE.size());
    }
}
