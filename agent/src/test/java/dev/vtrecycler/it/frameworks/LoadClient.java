package dev.vtrecycler.it.frameworks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop HTTP/1.1 load from the test's JVM (not the server's, so the server's allocation
 * counter sees only the server): {@code concurrency} platform threads each send {@code GET /} in a
 * loop on kept-alive connections until {@code requests} were sent or {@code duration} passed, each
 * request numbered in a {@link Handled#REQUEST_ID} header.
 */
final class LoadClient {
    record Result(long ok, long failed, double seconds) {
        double perSecond() {
            return ok / seconds;
        }
    }

    private LoadClient() {}

    static Result run(int port, int concurrency, long requests, Duration duration) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(30)).GET();
        AtomicLong sent = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long deadline = System.nanoTime() + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            workers.add(Thread.ofPlatform().name("load-" + i).start(() -> {
                for (long n; (n = sent.incrementAndGet()) <= requests && System.nanoTime() < deadline; ) {
                    try {
                        HttpRequest numbered = request.copy().setHeader(Handled.REQUEST_ID, Long.toString(n)).build();
                        HttpResponse<String> response = client.send(numbered, HttpResponse.BodyHandlers.ofString());
                        (response.statusCode() == 200 && response.body().equals("ok\n") ? ok : failed).incrementAndGet();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        client.close();
        return new Result(ok.get(), failed.get(), seconds);
    }
}
