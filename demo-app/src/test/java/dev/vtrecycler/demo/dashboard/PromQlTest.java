package dev.vtrecycler.demo.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtrecycler.demo.dashboard.PromQl.Matcher;
import dev.vtrecycler.demo.dashboard.PromQl.Selector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void findsMetricsUnderAggregationsAndFunctions() {
        String expr = "histogram_quantile(0.9, sum by (le, instance) (rate(a_bucket{job=~\"$job\"}[$__rate_interval])))"
                + " / on (instance) group_left (mode) max without (id) (b_info) > bool 0 or vector(1)";
        assertThat(PromQl.selectors(expr)).containsExactly(
                new Selector("a_bucket", "job=~\"$job\"", "rate"),
                new Selector("b_info", "", "max"));
        assertThat(PromQl.ranges(expr)).containsExactly("$__rate_interval");
    }

    @Test
    void ignoresNamesInsideStringsAndLabelLists() {
        String expr = "sum by (source) (x_total{source=~\"local|global\",le=\"{not_a_metric}\"})";
        assertThat(PromQl.selectors(expr)).extracting(Selector::metric).containsExactly("x_total");
        assertThat(PromQl.selectors(expr).get(0).matcherList()).containsExactly(
                new Matcher("source", "=~", "local|global"), new Matcher("le", "=", "{not_a_metric}"));
    }

    @Test
    void rejectsMatchersItCannotRead() {
        Selector broken = new Selector("x", "job=~$job", "");
        assertThatThrownBy(broken::matcherList).hasMessageContaining("cannot read");
    }

    @Test
    void grafanaTemplateExpandsEveryForm() {
        Map<String, String> values = Map.of("job", ".*", "__range", "1m", "__range_s", "60", "__rate_interval", "4s");
        assertThat(GrafanaTemplate.expand("a{job=~\"$job\",x=\"${job}\",y=\"[[job]]\",z=\"${job:regex}\"}[$__rate_interval] $__range_s $__range", values))
                .isEqualTo("a{job=~\".*\",x=\".*\",y=\".*\",z=\".*\"}[4s] 60 1m");
        assertThatThrownBy(() -> GrafanaTemplate.expand("a{i=~\"$instance\"}[$__interval]", values))
                .hasMessageContaining("$instance").hasMessageContaining("$__interval");
        assertThat(GrafanaTemplate.regexValue("127.0.0.1:9404")).isEqualTo("127\\\\.0\\\\.0\\\\.1:9404");
    }

    @Test
    void variableQueriesParse() {
        assertThat(VariableQuery.parse("label_values(vtrecycler_info{job=~\"$job\"}, instance)"))
                .isEqualTo(new VariableQuery.LabelValues("vtrecycler_info{job=~\"$job\"}", "instance"));
        assertThat(VariableQuery.parse("label_values(job)")).isEqualTo(new VariableQuery.LabelValues("", "job"));
        assertThat(VariableQuery.parse("query_result(up == 1)")).isEqualTo(new VariableQuery.QueryResult("up == 1"));
        assertThatThrownBy(() -> VariableQuery.parse("metrics(jvm_.*)")).hasMessageContaining("unsupported");
    }

    @Test
    void dashboardReaderFindsPanelsInsideCollapsedRowsAndVariableQueries() {
        Dashboard d = Dashboard.parse("""
                {"panels":[{"type":"row","title":"R","collapsed":true,"panels":[
                   {"type":"stat","title":"inner","targets":[{"refId":"A","expr":"x_total"}]}]},
                  {"type":"timeseries","title":"outer","targets":[{"refId":"B","expr":"y"},{"refId":"C","expr":""}]}],
                 "templating":{"list":[{"name":"datasource","type":"datasource","query":"prometheus"},
                   {"name":"job","type":"query","query":{"query":"label_values(z, job)"}},
                   {"name":"old","type":"query","query":"label_values(w, id)"}]}}""");
        assertThat(d.rowTitles()).containsExactly("R");
        assertThat(d.dataPanels()).extracting(p -> p.path("title").asText()).containsExactly("inner", "outer");
        assertThat(d.queries()).extracting(Dashboard.Query::expr)
                .isEqualTo(List.of("x_total", "y", "label_values(z, job)", "label_values(w, id)"));
    }
}
