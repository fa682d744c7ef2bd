package dev.vtrecycler.demo.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The lint rules catch what they are for (so a clean DashboardLintTest means something). */
class DashboardLintRulesTest {

    private static final String DS = "{\"type\":\"prometheus\",\"uid\":\"${datasource}\"}";

    private static Dashboard withPanel(String panelFields, String expr) {
        String target = "{\"refId\":\"A\",\"datasource\":" + DS + ",\"expr\":" + quote(expr) + "}";
        return Dashboard.parse("{\"id\":null,\"uid\":\"abcdefgh\",\"title\":\"t\",\"schemaVersion\":39,\"panels\":["
                + "{\"type\":\"row\",\"title\":\"Recycler\",\"id\":1,\"gridPos\":{\"x\":0,\"y\":0,\"w\":24,\"h\":1},\"panels\":[]},"
                + "{\"type\":\"timeseries\",\"id\":2,\"datasource\":" + DS + ",\"gridPos\":{\"x\":0,\"y\":1,\"w\":8,\"h\":8},"
                + panelFields + (panelFields.isEmpty() ? "" : ",") + "\"targets\":[" + target + "]}]}");
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static final String GOOD_PANEL =
            "\"title\":\"p\",\"description\":\"d\",\"fieldConfig\":{\"defaults\":{\"unit\":\"ops\"}}";
    private static final String GOOD_EXPR =
            "sum by (instance) (rate(vtrecycler_spills_total{job=~\"$job\",instance=~\"$instance\"}[$__rate_interval]))";

    @Test
    void aWellFormedPanelPasses() {
        Dashboard d = withPanel(GOOD_PANEL, GOOD_EXPR);
        assertThat(DashboardLint.panels(d)).isEmpty();
        assertThat(DashboardLint.rates(d)).isEmpty();
        assertThat(DashboardLint.exportedMetricsOnly(d)).isEmpty();
        assertThat(DashboardLint.jobAndInstanceFilters(d)).isEmpty();
        assertThat(DashboardLint.layout(d)).isEmpty();
        assertThat(DashboardLint.importable(d)).isEmpty();
    }

    @Test
    void missingUnitAndDescriptionAreReported() {
        Dashboard d = withPanel("\"title\":\"p\"", GOOD_EXPR);
        assertThat(DashboardLint.panels(d))
                .anySatisfy(v -> assertThat(v).contains("no description"))
                .anySatisfy(v -> assertThat(v).contains("has unit \"\""));
    }

    @Test
    void aFixedRangeIsReported() {
        Dashboard d = withPanel(GOOD_PANEL, GOOD_EXPR.replace("$__rate_interval", "5m"));
        assertThat(DashboardLint.rates(d)).singleElement().asString().contains("[5m]");
    }

    @Test
    void rateOverAGaugeIsReported() {
        Dashboard d = withPanel(GOOD_PANEL,
                "rate(vtrecycler_pooled_threads{job=~\"$job\",instance=~\"$instance\"}[$__rate_interval])");
        assertThat(DashboardLint.rates(d)).singleElement().asString().contains("not a counter");
    }

    @Test
    void anUnknownMetricOrLabelIsReported() {
        Dashboard d = withPanel(GOOD_PANEL,
                "jvm_threads_virtual_count{job=~\"$job\",instance=~\"$instance\"}"
                        + " + vtrecycler_pooled_threads{job=~\"$job\",instance=~\"$instance\",carrier=\"1\"}");
        assertThat(DashboardLint.exportedMetricsOnly(d)).hasSize(2)
                .anySatisfy(v -> assertThat(v).contains("jvm_threads_virtual_count"))
                .anySatisfy(v -> assertThat(v).contains("label carrier"));
    }

    @Test
    void aSelectorWithoutJobOrInstanceRegexIsReported() {
        Dashboard d = withPanel(GOOD_PANEL, "vtrecycler_info{instance=\"$instance\"}");
        assertThat(DashboardLint.jobAndInstanceFilters(d)).hasSize(2);
    }

    @Test
    void aPanelOutsideTheGridAndAMissingRowAreReported() {
        Dashboard d = withPanel(GOOD_PANEL, GOOD_EXPR);
        String json = d.root().toString().replace("\"w\":8", "\"w\":30");
        assertThat(DashboardLint.layout(Dashboard.parse(json))).singleElement().asString().contains("24-column");
        assertThat(DashboardLint.rows(d)).singleElement().asString().contains("Virtual threads");
    }

    @Test
    void importInputsAreReported() {
        Dashboard d = Dashboard.parse("{\"id\":3,\"uid\":\"x\",\"title\":\"t\",\"schemaVersion\":39,\"__inputs\":[]}");
        assertThat(DashboardLint.importable(d)).hasSize(3);
    }

    @Test
    void missingVariablesAreReported() {
        Dashboard d = withPanel(GOOD_PANEL, GOOD_EXPR);
        assertThat(DashboardLint.variables(d)).contains(
                "variable $datasource must exist with type datasource, query prometheus",
                "variable $job is missing", "variable $instance is missing");
    }

    @Test
    void aRequiredSeriesWithoutPanelIsReported() {
        Dashboard d = withPanel(GOOD_PANEL, GOOD_EXPR);
        assertThat(DashboardLint.queriedByPanels(d, Set.of("vtrecycler_spills_total", "vtrecycler_refills_total")))
                .containsExactly("no panel shows vtrecycler_refills_total");
    }
}
