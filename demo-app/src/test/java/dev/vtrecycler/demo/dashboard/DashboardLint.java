package dev.vtrecycler.demo.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtrecycler.demo.dashboard.Dashboard.Origin;
import dev.vtrecycler.demo.dashboard.Dashboard.Query;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Static rules for the dashboard (no Grafana, no Prometheus needed). Each rule returns the list of
 * violations, one readable line each, so a failing test names every offending panel at once.
 * Modelled on grafana/dashboard-linter's rules (template-*, panel-units, panel-title-description,
 * panel-datasource, target-rate-interval, target-job, target-instance), which cannot run here.
 */
public final class DashboardLint {

    public static final String DATASOURCE_UID = "${datasource}";
    /** The import dialog's data source input; Grafana's own exports name it the same way. */
    public static final String DS_INPUT = "DS_PROMETHEUS";
    public static final String RATE_INTERVAL = "$__rate_interval";
    public static final List<String> ROWS = List.of("Recycler", "Recycling fallback", "Allocation-free scheduling", "Virtual threads", "JVM",
            "Virtual-thread scheduler", "Virtual-thread diagnostics");

    /** Grafana unit ids the dashboard may use (a subset of Grafana's list; extend as needed). */
    public static final Set<String> UNITS = Set.of(
            "none", "short", "percent", "percentunit", "bytes", "decbytes", "binBps", "Bps",
            "s", "ms", "ns", "dtdurations", "ops", "reqps", "cps");

    private static final Set<String> RATE_FUNCTIONS = Set.of("rate", "irate", "increase", "resets");
    private static final Pattern UID = Pattern.compile("[A-Za-z0-9_-]{8,40}");

    private DashboardLint() {}

    /** Importable through the UI and through file provisioning alike. */
    public static List<String> importable(Dashboard d) {
        List<String> v = new ArrayList<>();
        JsonNode root = d.root();
        if (!root.path("id").isNull()) v.add("\"id\" must be null (Grafana assigns it)");
        if (!UID.matcher(root.path("uid").asText()).matches()) v.add("\"uid\" must be 8-40 characters [A-Za-z0-9_-]");
        if (root.path("title").asText().isBlank()) v.add("\"title\" is missing");
        if (!root.path("schemaVersion").isInt()) v.add("\"schemaVersion\" must be an integer");
        v.addAll(importInputs(d));
        v.addAll(requires(d));
        return v;
    }

    /**
     * UI import: one input, the Prometheus the import dialog asks for, whose only use is the
     * $datasource variable's starting value. Panels and targets never name it (they use
     * ${datasource}): a provisioned dashboard leaves ${DS_PROMETHEUS} unresolved, the variable then
     * finds no such data source and falls back to the default Prometheus, and every panel follows it.
     */
    static List<String> importInputs(Dashboard d) {
        List<String> v = new ArrayList<>();
        JsonNode inputs = d.root().path("__inputs");
        JsonNode input = inputs.path(0);
        if (!inputs.isArray() || inputs.size() != 1 || !DS_INPUT.equals(input.path("name").asText())
                || !"datasource".equals(input.path("type").asText()) || !"prometheus".equals(input.path("pluginId").asText())) {
            v.add("\"__inputs\" must hold one input, " + DS_INPUT + " (type datasource, pluginId prometheus), for UI import");
        }
        JsonNode ds = d.variable("datasource");
        String seed = "${" + DS_INPUT + "}";
        JsonNode current = ds == null ? null : ds.path("current");
        if (current == null || !seed.equals(current.path("value").asText()) || !seed.equals(current.path("text").asText())) {
            v.add("variable $datasource must start at " + seed + " (text and value), so an import uses the data source chosen");
        }
        String elsewhere = d.root().toString().replace("\"" + seed + "\"", "\"\"");
        int seeds = (d.root().toString().length() - elsewhere.length()) / (seed.length());
        if (elsewhere.contains("${DS_") || seeds > 2) {
            v.add("${DS_...} placeholders outside $datasource's current value break provisioning: use ${datasource}");
        }
        return v;
    }

    /** What Grafana's export lists and its import checks: Grafana, the Prometheus plugin, every panel type used. */
    static List<String> requires(Dashboard d) {
        List<String> v = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (JsonNode r : d.root().path("__requires")) {
            listed.add(r.path("type").asText() + ":" + r.path("id").asText());
        }
        Set<String> needed = new java.util.TreeSet<>(List.of("grafana:grafana", "datasource:prometheus"));
        for (JsonNode p : d.dataPanels()) {
            needed.add("panel:" + p.path("type").asText());
        }
        for (String n : needed) {
            if (!listed.contains(n)) {
                v.add("\"__requires\" must list " + n.replace(":", " ") + " (Grafana's import checks it)");
            }
        }
        return v;
    }

    /** A datasource variable, and job and instance variables: multi-value, with All. */
    public static List<String> variables(Dashboard d) {
        List<String> v = new ArrayList<>();
        JsonNode ds = d.variable("datasource");
        if (ds == null || !"datasource".equals(ds.path("type").asText()) || !"prometheus".equals(ds.path("query").asText())) {
            v.add("variable $datasource must exist with type datasource, query prometheus");
        }
        for (String name : List.of("job", "instance")) {
            JsonNode var = d.variable(name);
            if (var == null) {
                v.add("variable $" + name + " is missing");
                continue;
            }
            if (!"query".equals(var.path("type").asText())) v.add("variable $" + name + " must be a query variable");
            if (!var.path("multi").asBoolean()) v.add("variable $" + name + " must be multi-value");
            if (!var.path("includeAll").asBoolean()) v.add("variable $" + name + " must include All");
            if (!DATASOURCE_UID.equals(var.path("datasource").path("uid").asText())) {
                v.add("variable $" + name + " must query data source " + DATASOURCE_UID);
            }
        }
        for (Query q : d.queries()) {
            if (q.origin() != Origin.VARIABLE) continue;
            try {
                VariableQuery.parse(q.expr());
            } catch (IllegalArgumentException e) {
                v.add(q.where() + ": " + e.getMessage());
            }
        }
        JsonNode instance = d.variable("instance");
        if (instance != null && !instance.toString().contains("$job")) {
            v.add("variable $instance must be filtered by $job");
        }
        return v;
    }

    /** The rows, in order, and no data panel above the first row. */
    public static List<String> rows(Dashboard d) {
        List<String> v = new ArrayList<>();
        if (!d.rowTitles().equals(ROWS)) v.add("rows must be " + ROWS + " but are " + d.rowTitles());
        List<JsonNode> panels = d.panels();
        if (!panels.isEmpty() && !"row".equals(panels.get(0).path("type").asText())) {
            v.add("panel \"" + panels.get(0).path("title").asText() + "\" sits above the first row");
        }
        return v;
    }

    /** Every data panel: a description, a known unit (heatmaps: a y-axis unit too), the datasource variable. */
    public static List<String> panels(Dashboard d) {
        List<String> v = new ArrayList<>();
        for (JsonNode p : d.dataPanels()) {
            String name = "panel \"" + p.path("title").asText() + "\"";
            if (p.path("title").asText().isBlank()) v.add("a panel has no title (id " + p.path("id") + ")");
            if (p.path("description").asText().isBlank()) v.add(name + " has no description");
            String unit = p.path("fieldConfig").path("defaults").path("unit").asText();
            if (!UNITS.contains(unit)) v.add(name + " has unit \"" + unit + "\", not one of " + UNITS);
            if ("heatmap".equals(p.path("type").asText())
                    && !UNITS.contains(p.path("options").path("yAxis").path("unit").asText())) {
                v.add(name + " (heatmap) has no y-axis unit");
            }
            if (!DATASOURCE_UID.equals(p.path("datasource").path("uid").asText())) {
                v.add(name + " must use data source " + DATASOURCE_UID);
            }
            if (p.path("targets").isEmpty()) v.add(name + " has no targets");
            Set<String> refIds = new HashSet<>();
            for (JsonNode t : p.path("targets")) {
                if (!DATASOURCE_UID.equals(t.path("datasource").path("uid").asText())) {
                    v.add(name + " target " + t.path("refId").asText() + " must use data source " + DATASOURCE_UID);
                }
                if (!refIds.add(t.path("refId").asText())) v.add(name + " repeats refId " + t.path("refId").asText());
                if (t.path("expr").asText().isBlank()) v.add(name + " target " + t.path("refId").asText() + " has no expr");
            }
        }
        return v;
    }

    /** Unique panel ids, every panel inside Grafana's 24 columns. */
    public static List<String> layout(Dashboard d) {
        List<String> v = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : d.panels()) {
            String name = "panel \"" + p.path("title").asText() + "\"";
            if (!p.path("id").isInt() || !ids.add(p.path("id").asInt())) v.add(name + " needs a unique integer id");
            JsonNode g = p.path("gridPos");
            int x = g.path("x").asInt(-1), w = g.path("w").asInt(0), h = g.path("h").asInt(0);
            if (x < 0 || w < 1 || h < 1 || x + w > 24 || g.path("y").asInt(-1) < 0) {
                v.add(name + " has gridPos " + g + " outside the 24-column grid");
            }
        }
        return v;
    }

    /** Every range is $__rate_interval, and only counters (and histogram/summary parts) are rated. */
    public static List<String> rates(Dashboard d) {
        List<String> v = new ArrayList<>();
        for (Query q : d.queries()) {
            for (String range : PromQl.ranges(q.expr())) {
                if (!RATE_INTERVAL.equals(range.trim())) {
                    v.add(q.where() + " uses range [" + range + "], must be [" + RATE_INTERVAL + "]: " + q.expr());
                }
            }
            for (PromQl.Selector s : PromQl.selectors(promQl(q))) {
                if (RATE_FUNCTIONS.contains(s.enclosingFunction()) && !ExportedMetrics.isCumulative(s.metric())) {
                    v.add(q.where() + " applies " + s.enclosingFunction() + "() to " + s.metric() + ", which is not a counter");
                }
            }
        }
        return v;
    }

    /** Only series the agent exports, only with labels they carry. */
    public static List<String> exportedMetricsOnly(Dashboard d) {
        List<String> v = new ArrayList<>();
        for (Query q : d.queries()) {
            for (PromQl.Selector s : PromQl.selectors(promQl(q))) {
                Set<String> labels = ExportedMetrics.SERIES.get(s.metric());
                if (labels == null) {
                    v.add(q.where() + " queries " + s.metric() + ", which the agent does not export");
                    continue;
                }
                try {
                    for (PromQl.Matcher m : s.matcherList()) {
                        if (!labels.contains(m.label()) && !ExportedMetrics.TARGET_LABELS.contains(m.label())) {
                            v.add(q.where() + " matches label " + m.label() + " that " + s.metric() + " does not carry");
                        }
                    }
                } catch (IllegalArgumentException e) {
                    v.add(q.where() + ": " + e.getMessage());
                }
            }
        }
        return v;
    }

    /** Every panel selector honours the job and instance variables (regex match, for multi-value and All). */
    public static List<String> jobAndInstanceFilters(Dashboard d) {
        List<String> v = new ArrayList<>();
        for (Query q : d.queries()) {
            if (q.origin() != Origin.PANEL) continue;
            for (PromQl.Selector s : PromQl.selectors(q.expr())) {
                List<PromQl.Matcher> matchers;
                try {
                    matchers = s.matcherList();
                } catch (IllegalArgumentException e) {
                    continue; // reported by exportedMetricsOnly
                }
                for (String label : List.of("job", "instance")) {
                    boolean filtered = matchers.stream().anyMatch(m ->
                            m.label().equals(label) && m.op().equals("=~") && m.value().equals("$" + label));
                    if (!filtered) v.add(q.where() + ": " + s.metric() + " lacks " + label + "=~\"$" + label + "\"");
                }
            }
        }
        return v;
    }

    /** Each series in {@code required} is queried by at least one panel. */
    public static List<String> queriedByPanels(Dashboard d, Set<String> required) {
        Set<String> queried = new HashSet<>();
        for (Query q : d.queries()) {
            if (q.origin() == Origin.PANEL) PromQl.selectors(q.expr()).forEach(s -> queried.add(s.metric()));
        }
        return required.stream().filter(m -> !queried.contains(m)).sorted().map(m -> "no panel shows " + m).toList();
    }

    private static String promQl(Query q) {
        if (q.origin() == Origin.PANEL) return q.expr();
        try {
            return VariableQuery.parse(q.expr()).promQl();
        } catch (IllegalArgumentException e) {
            return ""; // reported by variables()
        }
    }
}
