package dev.vtrecycler.demo.ab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MetricsScrapeTest {

    static Stream<Arguments> expositions() {
        return Stream.of(
                Arguments.of("tasks by source, text format",
                        "# HELP vtrecycler_tasks_total Tasks run by pooled threads\n"
                                + "# TYPE vtrecycler_tasks_total counter\n"
                                + "vtrecycler_tasks_total{source=\"global\"} 171682.0\n"
                                + "vtrecycler_tasks_total{source=\"local\"} 0.0\n"
                                + "vtrecycler_tasks_total{source=\"new\"} 12.0\n",
                        Map.of("vtrecycler_tasks_total{source=\"global\"}", 171682.0,
                                "vtrecycler_tasks_total{source=\"local\"}", 0.0,
                                "vtrecycler_tasks_total{source=\"new\"}", 12.0)),
                Arguments.of("route series of any name and labels, a value with a timestamp, a trailing comma",
                        "vtrecycler_route_recycling{route=\"executor\",} 1.0\n"
                                + "vtrecycler_route_decisions_total{route=\"reflective start\",to=\"fresh\"} 3 1700000000000\n",
                        Map.of("vtrecycler_route_recycling{route=\"executor\"}", 1.0,
                                "vtrecycler_route_decisions_total{route=\"reflective start\",to=\"fresh\"}", 3.0)),
                Arguments.of("what says how well reuse went: rejections by reason, spills, new stack chunks",
                        "vtrecycler_rejections_total{reason=\"stack\"} 41.0\n"
                                + "vtrecycler_spills_total 7.0\n"
                                + "vtrecycler_spilled_threads_total 231.0\n"
                                + "vtrecycler_new_stack_chunks_total 5120.0\n",
                        Map.of("vtrecycler_rejections_total{reason=\"stack\"}", 41.0,
                                "vtrecycler_spills_total", 7.0,
                                "vtrecycler_new_stack_chunks_total", 5120.0)),
                Arguments.of("every other series skipped, including look-alike names",
                        "vtrecycler_threads_created_total 5.0\n"
                                + "vtrecycler_tasks_created_total 5.0\n"
                                + "jvm_gc_memory_allocated_bytes_total 1.0E9\n"
                                + "vtrecycler_routed_call_sites 2.0\n",
                        Map.of()),
                Arguments.of("no labels, blank lines, a line that is no sample",
                        "\nvtrecycler_route_enabled 1\nvtrecycler_route_broken{route=\"x\"} NaN-ish\n",
                        Map.of("vtrecycler_route_enabled", 1.0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expositions")
    void keepsTasksBySourceAndEveryRouteSeries(String name, String exposition, Map<String, Double> expected) {
        assertThat(MetricsScrape.parse(exposition)).isEqualTo(expected);
    }
}
