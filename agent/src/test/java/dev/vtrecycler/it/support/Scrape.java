package dev.vtrecycler.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** One scrape of the agent's /metrics on loopback, parsed into sample name{labels} -> value. */
public final class Scrape {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String body;
    private final Map<String, Double> samples = new LinkedHashMap<>();

    private Scrape(String body) {
        this.body = body;
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
    }

    public static HttpResponse<String> get(int port, String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static Scrape of(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = get(port, "/metrics", null);
        if (response.statusCode() != 200) {
            throw new AssertionError("scrape returned " + response.statusCode());
        }
        return new Scrape(response.body());
    }

    /** Value of the sample with exactly this name and label set (e.g. {@code foo_total} or {@code foo{a="b"}}). */
    public double value(String sample) {
        Double v = samples.get(sample);
        if (v == null) {
            throw new AssertionError("no sample " + sample + " in scrape:\n" + body);
        }
        return v;
    }

    public boolean has(String sample) {
        return samples.containsKey(sample);
    }

    public String body() {
        return body;
    }
}
