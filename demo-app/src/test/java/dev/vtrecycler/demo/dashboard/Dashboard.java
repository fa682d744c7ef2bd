package dev.vtrecycler.demo.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Grafana classic-JSON dashboard as the tests see it: its panels (rows flattened, including the
 * panels nested inside collapsed rows), every PromQL query in panel targets, and every query of a
 * template variable.
 */
public final class Dashboard {

    /** File name of the dashboard inside the repository's {@code grafana/} folder. */
    public static final String FILE_NAME = "vtrecycler-dashboard.json";

    /** Where a query came from: a panel target, or a template variable's query. */
    public enum Origin { PANEL, VARIABLE }

    /** One query: {@code where} names its panel/target or variable for messages. */
    public record Query(Origin origin, String where, String expr) {}

    private final JsonNode root;

    private Dashboard(JsonNode root) {
        this.root = root;
    }

    public static Dashboard parse(String json) {
        try {
            return new Dashboard(new ObjectMapper().readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException("dashboard JSON does not parse", e);
        }
    }

    public static Dashboard read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * The repository's dashboard: the folder comes from the system property
     * {@code vtrecycler.grafana.dir} (set by the build for the ITs), else {@code ../grafana}
     * relative to the working directory (Maven runs tests in the module's folder).
     */
    public static Path repositoryFile() {
        String dir = System.getProperty("vtrecycler.grafana.dir");
        Path folder = dir != null ? Path.of(dir) : Path.of("").toAbsolutePath().resolveSibling("grafana");
        return folder.resolve(FILE_NAME).normalize();
    }

    public JsonNode root() {
        return root;
    }

    /** Every panel in layout order, rows included, with the panels of collapsed rows after their row. */
    public List<JsonNode> panels() {
        List<JsonNode> out = new ArrayList<>();
        collectPanels(root.path("panels"), out);
        return out;
    }

    private static void collectPanels(JsonNode panels, List<JsonNode> out) {
        for (JsonNode panel : panels) {
            out.add(panel);
            collectPanels(panel.path("panels"), out); // rows: collapsed ones hold their panels here
        }
    }

    /** Panels that show data (everything but rows). */
    public List<JsonNode> dataPanels() {
        return panels().stream().filter(p -> !"row".equals(p.path("type").asText())).toList();
    }

    /** Titles of the row panels, in order. */
    public List<String> rowTitles() {
        return panels().stream()
                .filter(p -> "row".equals(p.path("type").asText()))
                .map(p -> p.path("title").asText())
                .toList();
    }

    public List<JsonNode> variables() {
        List<JsonNode> out = new ArrayList<>();
        root.path("templating").path("list").forEach(out::add);
        return out;
    }

    public JsonNode variable(String name) {
        return variables().stream()
                .filter(v -> name.equals(v.path("name").asText()))
                .findFirst()
                .orElse(null);
    }

    /** Every PromQL query of the panels' targets, then every query of a {@code query} variable. */
    public List<Query> queries() {
        List<Query> out = new ArrayList<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText("");
                if (!expr.isBlank()) {
                    out.add(new Query(Origin.PANEL,
                            "panel \"" + panel.path("title").asText() + "\" target " + target.path("refId").asText(),
                            expr));
                }
            }
        }
        for (JsonNode variable : variables()) {
            if (!"query".equals(variable.path("type").asText())) continue;
            String expr = variableQuery(variable);
            if (!expr.isBlank()) {
                out.add(new Query(Origin.VARIABLE, "variable $" + variable.path("name").asText(), expr));
            }
        }
        return out;
    }

    /** A variable's query: an object ({@code query.query}) in current Grafana, a plain string in older files. */
    private static String variableQuery(JsonNode variable) {
        JsonNode query = variable.path("query");
        return query.isObject() ? query.path("query").asText("") : query.asText("");
    }
}
