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
        assertThat(DashboardLint.importable(withImportInputs(d))).isEmpty();
    }

    /** The panel fixture with what Grafana's export adds for UI import. */
    private static Dashboard withImportInputs(Dashboard d) {
        String importKeys = "\"__inputs\":[{\"name\":\"DS_PROMETHEUS\",\"type\":\"datasource\",\"pluginId\":\"prometheus\"}],"
                + "\"__requires\":[{\"type\":\"grafana\",\"id\":\"grafana\"},{\"type\":\"datasource\",\"id\":\"prometheus\"},"
                + "{\"type\":\"panel\",\"id\":\"timeseries\"}],"
                + "\"templating\":{\"list\":[{\"name\":\"datasource\",\"type\":\"datasource\",\"query\":\"prometheus\","
                + "\"current\":{\"text\":\"${DS_PROMETHEUS}\",\"value\":\"${DS_PROMETHEUS}\"}}]},";
        return Dashboard.parse("{" + importKeys + d.root().toString().substring(1));
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
    void importRulesAreReported() {
        Dashboard d = Dashboard.parse("{\"id\":3,\"uid\":\"x\",\"title\":\"t\",\"schemaVersion\":39,\"__inputs\":[]}");
        assertThat(DashboardLint.importable(d)).containsExactlyInAnyOrder(
                "\"id\" must be null (Grafana assigns it)",
                "\"uid\" must be 8-40 characters [A-Za-z0-9_-]",
                "\"__inputs\" must hold one input, DS_PROMETHEUS (type datasource, pluginId prometheus), for UI import",
                "variable $datasource must start at ${DS_PROMETHEUS} (text and value), so an import uses the data source chosen",
                "\"__requires\" must list grafana grafana (Grafana's import checks it)",
                "\"__requires\" must list datasource prometheus (Grafana's import checks it)");
    }

    @Test
    void anImportPlaceholderInAPanelIsReported() {
        String inputs = "\"__inputs\":[{\"name\":\"DS_PROMETHEUS\",\"type\":\"datasource\",\"pluginId\":\"prometheus\"}],"
                + "\"__requires\":[{\"type\":\"grafana\",\"id\":\"grafana\"},{\"type\":\"datasource\",\"id\":\"prometheus\"}],";
        String variable = "\"templating\":{\"list\":[{\"name\":\"datasource\",\"type\":\"datasource\",\"query\":\"prometheus\","
                + "\"current\":{\"text\":\"${DS_PROMETHEUS}\",\"value\":\"${DS_PROMETHEUS}\"}}]},";
        String good = "{" + inputs + variable + "\"id\":null,\"uid\":\"abcdefgh\",\"title\":\"t\",\"schemaVersion\":39,\"panels\":[]}";
        assertThat(DashboardLint.importable(Dashboard.parse(good))).isEmpty();

        String panel = "{\"type\":\"stat\",\"id\":2,\"datasource\":{\"type\":\"prometheus\",\"uid\":\"${DS_PROMETHEUS}\"}}";
        assertThat(DashboardLint.importable(Dashboard.parse(good.replace("\"panels\":[]", "\"panels\":[" + panel + "]"))))
                .containsExactly("${DS_...} placeholders outside $datasource's current value break provisioning: use ${datasource}",
                        "\"__requires\" must list panel stat (Grafana's import checks it)");
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
