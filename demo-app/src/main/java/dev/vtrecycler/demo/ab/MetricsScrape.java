package dev.vtrecycler.demo.ab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The recycler's own series from the agent's {@code /metrics} (Prometheus text format), read once at
 * the end of a server run: {@code vtrecycler_tasks_total{source=...}} (where each recycled task's
 * thread came from), the rejections, spills and new stack chunks, and every
 * {@code vtrecycler_route_*} series (the route decisions, when the agent exports them), whatever
 * their labels. Counters are totals since the server started, warm-up included.
 */
final class MetricsScrape {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MetricsScrape() {}

    /**
     * Besides the route series, what says how well reuse went: where each task's thread came from,
     * the threads the return path turned away (by reason: the stack gate, the GC drain, ...), the
     * spills, and the tasks that left a new stack chunk (the stack bytes reuse did not save).
     */
    private static final Set<String> POOL_SERIES = Set.of("vtrecycler_tasks_total", "vtrecycler_rejections_total",
            "vtrecycler_spills_total", "vtrecycler_new_stack_chunks_total");

    static boolean kept(String name) {
        return POOL_SERIES.contains(name) || name.startsWith("vtrecycler_route_");
    }

    static Map<String, Double> scrape(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + ": HTTP " + response.statusCode());
        }
        return parse(response.body());
    }

    /**
     * Series name with labels (as exposed, e.g. {@code vtrecycler_tasks_total{source="global"}}) to
     * value, for the kept series; comments and every other series are skipped. A sample line is
     * {@code name[{labels}] value [timestamp]}; label values may hold spaces, so the labels end at
     * the last '}'.
     */
    static Map<String, Double> parse(String exposition) {
        Map<String, Double> series = new LinkedHashMap<>();
        for (String line : exposition.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int brace = trimmed.indexOf('{');
            int space = trimmed.indexOf(' ');
            int nameEnd = brace >= 0 && (space < 0 || brace < space) ? brace : space;
            if (nameEnd <= 0 || !kept(trimmed.substring(0, nameEnd))) {
                continue;
            }
            int seriesEnd = brace == nameEnd ? trimmed.lastIndexOf('}') + 1 : nameEnd;
            if (seriesEnd <= 0) {
                continue;
            }
            String[] rest = trimmed.substring(seriesEnd).strip().split("\\s+");
            try {
                series.put(trimmed.substring(0, seriesEnd).replace(",}", "}"), Double.parseDouble(rest[0]));
            } catch (NumberFormatException e) {
                // not a sample line: skipped, as a scraper would
            }
        }
        return series;
    }
}
