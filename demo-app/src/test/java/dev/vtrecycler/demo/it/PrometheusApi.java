package dev.vtrecycler.demo.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The few calls of Prometheus's HTTP API the dashboard test needs, with a timeout on each. */
final class PrometheusApi {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * An instant query's answer: {@code error} is set when Prometheus refused or failed the query;
     * otherwise {@code series} holds the label sets and values of the result (a scalar or string
     * result counts as one series).
     */
    record Answer(String error, List<JsonNode> series) {
        boolean failed() {
            return error != null;
        }

        boolean empty() {
            return error == null && series.isEmpty();
        }

        /** Values of one label over the result's series. */
        List<String> labelValues(String label) {
            return series.stream().map(s -> s.path("metric").path(label).asText(null))
                    .filter(v -> v != null).distinct().toList();
        }

        long nanCount() {
            return series.stream().filter(s -> {
                JsonNode value = s.path("value");
                return value.isArray() && value.size() == 2 && "NaN".equals(value.get(1).asText());
            }).count();
        }
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    PrometheusApi(String hostPort) {
        this.base = URI.create("http://" + hostPort + "/");
    }

    /** True once Prometheus answers 200 on /-/ready. */
    boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve("-/ready")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** An instant query at the current time (POST, so long expressions need no URL space). */
    Answer query(String promQl) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("api/v1/query"))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("query=" + URLEncoder.encode(promQl, StandardCharsets.UTF_8)))
                .build();
        return answer(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Values of a label over all series ({@code /api/v1/label/<name>/values}). */
    Answer labelValues(String label) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("api/v1/label/" + label + "/values"))
                .timeout(TIMEOUT).build();
        JsonNode body = JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        if (!"success".equals(body.path("status").asText())) {
            return new Answer(body.path("errorType").asText() + ": " + body.path("error").asText(), List.of());
        }
        List<JsonNode> values = new ArrayList<>();
        body.path("data").forEach(v -> values.add(JSON.createObjectNode().set("metric",
                JSON.createObjectNode().put(label, v.asText()))));
        return new Answer(null, values);
    }

    private static Answer answer(String text) throws IOException {
        JsonNode body = JSON.readTree(text);
        if (!"success".equals(body.path("status").asText())) {
            return new Answer(body.path("errorType").asText() + ": " + body.path("error").asText(), List.of());
        }
        JsonNode data = body.path("data");
        List<JsonNode> series = new ArrayList<>();
        switch (data.path("resultType").asText()) {
            case "vector", "matrix" -> data.path("result").forEach(series::add);
            case "scalar", "string" -> series.add(JSON.createObjectNode().set("value", data.path("result")));
            default -> { return new Answer("unexpected resultType in " + text, List.of()); }
        }
        return new Answer(null, series);
    }
}
