package dev.vtrecycler.demo.compare;

import dev.vtrecycler.demo.measure.ResultLine;
import dev.vtrecycler.demo.measure.Stats;
import dev.vtrecycler.demo.measure.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns the children's results into the seed's tables (benchstat layout, "With recycling" beside
 * "Without recycling", then a third column with thread recycling alone: {@code mode=recycle} with
 * the JDK's wake-up tasks), the comparison lines that split the agent's effect into its parts,
 * and a verdict line per workload. "Without recycling" is the JVM without the agent: the plain
 * JDK, as Go without its free lists.
 */
public final class CompareReport {
    static final String FAILED = "failed";

    /** A column of the tables: its title and the runs it shows. */
    record Column(String title, AgentConfig config) {}

    /** Left to right: the seed's two columns, then thread recycling without wake-up reuse. */
    static final List<Column> COLUMNS = List.of(
            new Column("With recycling", AgentConfig.RECYCLE),
            new Column("Without recycling", AgentConfig.NO_AGENT),
            new Column("Thread recycling only (wakeups=jdk)", AgentConfig.RECYCLE_JDK_WAKEUPS),
            new Column("Scheduling only (mode=schedule)", AgentConfig.SCHEDULE));

    private final Map<Cell, RunResult> results;
    private final List<Integer> parallelisms;

    public CompareReport(Map<Cell, RunResult> results, List<Integer> parallelisms) {
        this.results = results;
        this.parallelisms = parallelisms;
    }

    public String render(List<Workload> workloads) {
        StringBuilder text = new StringBuilder();
        for (Workload workload : workloads) {
            text.append(table(workload, "time/op", RunResult::time, Units::duration));
            text.append('\n');
            text.append(table(workload, "alloc/op", RunResult::alloc, Units::bytes));
            text.append('\n');
            text.append(comparison("observe overhead (mode=observe vs no agent):", workload,
                    AgentConfig.OBSERVE, AgentConfig.NO_AGENT));
            text.append(comparison("recycling alone (mode=recycle vs mode=observe):", workload,
                    AgentConfig.RECYCLE, AgentConfig.OBSERVE));
            // the two parts of that line: what thread recycling buys, then what wake-up reuse adds
            text.append(comparison("thread recycling alone (mode=recycle,wakeups=jdk vs mode=observe):", workload,
                    AgentConfig.RECYCLE_JDK_WAKEUPS, AgentConfig.OBSERVE));
            text.append(comparison("wake-up reuse alone (mode=recycle vs mode=recycle,wakeups=jdk):", workload,
                    AgentConfig.RECYCLE, AgentConfig.RECYCLE_JDK_WAKEUPS));
            text.append(comparison("allocation-free scheduling alone (mode=schedule vs mode=observe):", workload,
                    AgentConfig.SCHEDULE, AgentConfig.OBSERVE));
            text.append(threads(workload, AgentConfig.RECYCLE)).append('\n');
            text.append(threads(workload, AgentConfig.RECYCLE_JDK_WAKEUPS)).append('\n');
            text.append(verdict(workload)).append('\n');
            text.append('\n');
        }
        return text.toString();
    }

    /** One block of the seed's table: a header line, then one row per parallelism; a name and a value per column. */
    String table(Workload workload, String unitName, Function<RunResult, Stats> stat, Function<Double, String> unit) {
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[COLUMNS.size() * 2];
        for (int c = 0; c < COLUMNS.size(); c++) {
            header[2 * c] = "name";
            header[2 * c + 1] = unitName;
        }
        rows.add(header);
        for (int parallelism : parallelisms) {
            String name = workload.rowName(parallelism);
            String[] row = new String[COLUMNS.size() * 2];
            for (int c = 0; c < COLUMNS.size(); c++) {
                row[2 * c] = name;
                row[2 * c + 1] = cell(new Cell(workload, parallelism, COLUMNS.get(c).config()), stat, unit);
            }
            rows.add(row);
        }
        int nameWidth = rows.stream().mapToInt(r -> r[0].length()).max().orElse(4) + 2;
        int valueWidth = 0;
        for (String[] row : rows) {
            for (int c = 1; c < row.length; c += 2) {
                valueWidth = Math.max(valueWidth, row[c].length());
            }
        }
        // a title longer than a column widens every column, so the titles stay above their columns
        int longestTitle = COLUMNS.stream().mapToInt(c -> c.title().length()).max().orElse(0);
        valueWidth = Math.max(valueWidth, longestTitle - nameWidth);
        int columnWidth = nameWidth + valueWidth + 3;
        StringBuilder block = new StringBuilder();
        if (unitName.equals("time/op")) {
            for (Column column : COLUMNS) {
                block.append(pad(column.title(), columnWidth));
            }
            block.append('\n');
        }
        for (String[] row : rows) {
            boolean isHeader = row == header;
            for (int c = 0; c < row.length; c += 2) {
                // values right-aligned under their left-aligned unit, as benchstat prints them
                block.append(pad(row[c], nameWidth))
                        .append(isHeader ? pad(row[c + 1], valueWidth) : padLeft(row[c + 1], valueWidth))
                        .append("   ");
            }
            block.append('\n');
        }
        return block.toString().lines().map(String::stripTrailing).reduce("", (a, b) -> a + b + "\n");
    }

    private String cell(Cell cell, Function<RunResult, Stats> stat, Function<Double, String> unit) {
        RunResult result = results.get(cell);
        if (result == null || !result.ok()) {
            return FAILED;
        }
        Stats stats = stat.apply(result);
        return unit.apply(stats.mean()) + " " + spread(stats.spreadPercent());
    }

    /** benchstat's "± 3%" / "±21%". */
    public static String spread(double percent) {
        return String.format(Locale.ROOT, "±%2.0f%%", percent);
    }

    /** A title line, then one indented line per row: "time/op x1.05 (+5%), alloc/op x0.31 (-69%)". */
    String comparison(String title, Workload workload, AgentConfig config, AgentConfig baseline) {
        int width = parallelisms.stream().mapToInt(p -> workload.rowName(p).length()).max().orElse(0) + 2;
        StringBuilder block = new StringBuilder(title).append('\n');
        for (int parallelism : parallelisms) {
            block.append("  ").append(pad(workload.rowName(parallelism), width));
            Change time = change(workload, parallelism, config, baseline, RunResult::time);
            Change alloc = change(workload, parallelism, config, baseline, RunResult::alloc);
            if (time == null || alloc == null) {
                block.append("n/a (a run failed)\n");
            } else {
                block.append(time.describe("time/op")).append(", ").append(alloc.describe("alloc/op")).append('\n');
            }
        }
        return block.toString();
    }

    /**
     * One line per workload, mode=recycle against no agent, one change per row in row order:
     * "verdict PingUrl (mode=recycle vs no agent; PingUrl / PingUrl-2): time/op -1% / +2%, within
     * noise; alloc/op -25% / -47%".
     */
    String verdict(Workload workload) {
        List<String> rows = parallelisms.stream().map(workload::rowName).toList();
        return "verdict " + workload.rowName(1) + " (mode=recycle vs no agent; " + String.join(" / ", rows) + "): "
                + summary(workload, "time/op", RunResult::time) + "; " + summary(workload, "alloc/op", RunResult::alloc);
    }

    private String summary(Workload workload, String what, Function<RunResult, Stats> stat) {
        List<String> changes = new ArrayList<>();
        List<String> noisy = new ArrayList<>();
        for (int parallelism : parallelisms) {
            Change change = change(workload, parallelism, AgentConfig.RECYCLE, AgentConfig.NO_AGENT, stat);
            if (change == null) {
                return what + " n/a (a run failed)";
            }
            changes.add(Units.change(change.ratio()));
            if (change.withinNoise()) {
                noisy.add(workload.rowName(parallelism));
            }
        }
        String text = what + " " + String.join(" / ", changes);
        if (noisy.size() == parallelisms.size()) {
            return text + (noisy.size() == 1 ? ", within noise" : ", all within noise");
        }
        return noisy.isEmpty() ? text : text + " (within noise: " + String.join(", ", noisy) + ")";
    }

    /** A ratio of means, "within noise" when the change is no larger than either side's spread. */
    public record Change(double ratio, boolean withinNoise) {
        public static Change of(Stats measured, Stats base) {
            double ratio = measured.mean() / base.mean();
            double percent = Math.abs(ratio - 1) * 100;
            return new Change(ratio, percent <= Math.max(measured.spreadPercent(), base.spreadPercent()));
        }

        /** "time/op x1.05 (+5%)", "alloc/op x1.00 (~0%, within noise)". */
        String describe(String what) {
            return String.format(Locale.ROOT, "%s x%.2f (%s%s)", what, ratio, Units.change(ratio),
                    withinNoise ? ", within noise" : "");
        }
    }

    private Change change(Workload workload, int parallelism, AgentConfig config, AgentConfig baseline,
                          Function<RunResult, Stats> stat) {
        RunResult measured = results.get(new Cell(workload, parallelism, config));
        RunResult base = results.get(new Cell(workload, parallelism, baseline));
        if (measured == null || base == null || !measured.ok() || !base.ok()) {
            return null;
        }
        return Change.of(stat.apply(measured), stat.apply(base));
    }

    /** What the thread-reuse probe of one recycling configuration saw: the evidence that recycling happened. */
    String threads(Workload workload, AgentConfig config) {
        List<String> parts = new ArrayList<>();
        for (int parallelism : parallelisms) {
            RunResult run = results.get(new Cell(workload, parallelism, config));
            ResultLine.Reuse reuse = run == null ? null : run.reuse();
            if (reuse == null) {
                parts.add(workload.rowName(parallelism) + " n/a");
                continue;
            }
            String note = reuse.distinct() >= reuse.started() ? " (no thread reused: recycling did not happen)" : "";
            parts.add(String.format(Locale.ROOT, "%s %d tasks on %d threads%s",
                    workload.rowName(parallelism), reuse.started(), reuse.distinct(), note));
        }
        return "threads with " + config.label() + " (extra unmeasured ops): " + String.join("; ", parts);
    }

    /**
     * Rows of cells (the first row the header, all rows as long) as left-aligned columns: each column
     * as wide as its widest cell plus three spaces, trailing spaces stripped, a line per row.
     */
    public static String columns(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length() + 3);
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(pad(row[i], widths[i]));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    public static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }

    static String padLeft(String text, int width) {
        return text.length() >= width ? text : " ".repeat(width - text.length()) + text;
    }
}
