package dev.vtrecycler.demo.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The repository's dashboard, checked statically. PrometheusDashboardIT runs its queries for real. */
class DashboardLintTest {

    /** What issue 6 asks the dashboard to show, as the series that carry it. */
    private static final Set<String> REQUIRED = Set.of(
            "vtrecycler_tasks_total",                                   // hit ratio, tasks/s by source
            "vtrecycler_spills_total", "vtrecycler_refills_total",      // spills and refills per second
            "vtrecycler_pooled_threads", "vtrecycler_pooled_stack_bytes", // pooled threads / bytes by scope
            "vtrecycler_rejections_total",                              // rejections per second by reason
            "vtrecycler_stack_limit_bytes",                             // stack limit in force
            "vtrecycler_virtual_threads_live",
            "vtrecycler_virtual_threads_created_total",
            "vtrecycler_virtual_threads_terminated_total",
            "vtrecycler_virtual_thread_duration_seconds_bucket",        // duration quantiles / heatmap
            "jvm_gc_memory_allocated_bytes_total",                      // allocation rate
            "jvm_gc_pause_seconds_sum",                                 // GC pause time
            "jvm_threads_virtual_pinned_seconds_count",                 // pinned events
            "jvm_threads_virtual_parallelism", "jvm_threads_virtual_live_threads", // scheduler gauges
            "vtrecycler_advice_errors_total",
            // issue 22: pinning sites, carrier utilisation, deadlocks
            "vtrecycler_pinned_seconds_count", "vtrecycler_pinned_seconds_sum",
            "vtrecycler_carrier_mounted_samples_total", "vtrecycler_carrier_samples_total",
            "vtrecycler_deadlocked_threads");

    private static Dashboard dashboard;

    @BeforeAll
    static void read() {
        dashboard = Dashboard.read(Dashboard.repositoryFile());
    }

    @Test
    void importsAndProvisionsCleanly() {
        assertThat(DashboardLint.importable(dashboard)).isEmpty();
    }

    @Test
    void hasDatasourceJobAndInstanceVariables() {
        assertThat(DashboardLint.variables(dashboard)).isEmpty();
    }

    @Test
    void groupsPanelsInRecyclerVirtualThreadsAndJvmRows() {
        assertThat(DashboardLint.rows(dashboard)).isEmpty();
    }

    @Test
    void everyPanelHasUnitDescriptionAndDatasourceVariable() {
        assertThat(dashboard.dataPanels()).hasSizeGreaterThanOrEqualTo(REQUIRED.size() / 2);
        assertThat(DashboardLint.panels(dashboard)).isEmpty();
    }

    @Test
    void panelsFitTheGrid() {
        assertThat(DashboardLint.layout(dashboard)).isEmpty();
    }

    @Test
    void everyRateUsesRateIntervalAndOnlyOverCounters() {
        assertThat(DashboardLint.rates(dashboard)).isEmpty();
    }

    @Test
    void queriesOnlyExportedMetricsAndTheirLabels() {
        assertThat(dashboard.queries()).isNotEmpty();
        assertThat(DashboardLint.exportedMetricsOnly(dashboard)).isEmpty();
    }

    @Test
    void everySelectorHonoursJobAndInstance() {
        assertThat(DashboardLint.jobAndInstanceFilters(dashboard)).isEmpty();
    }

    @Test
    void showsWhatTheIssueAsksFor() {
        assertThat(DashboardLint.queriedByPanels(dashboard, REQUIRED)).isEmpty();
    }
}
