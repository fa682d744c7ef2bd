package dev.vtrecycler.it.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.it.apps.ControlledApp;
import dev.vtrecycler.it.support.ForkedJvm;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The endpoint against hostile and slow clients, in a forked JVM with the agent, as issue 13 found
 * it: clients that send part of a request and then nothing must not starve scrapes. The endpoint's
 * limits are its defaults: 32 connections, 5 s to send a request (headers and body).
 */
@Timeout(120)
class SlowClientsIT {
    private static final int CAP = 32;
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    /** The reaper looks every 200 ms; a loaded machine adds scheduling delay on top. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    private static ForkedJvm app;
    private static int port;

    @BeforeAll
    static void startApp() throws Exception {
        app = ForkedJvm.start(List.of(ForkedJvm.javaagent("mode=observe,host=127.0.0.1,port=0")), ControlledApp.class);
        assertThat(app.readLine(Duration.ofSeconds(30))).isEqualTo("ready");
        port = app.metricsPort();
    }

    @AfterAll
    static void stopApp() {
        app.close();
    }

    @Test
    void fiftyStalledConnectionsDoNotStopAScrape() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket s = RawHttp.connect(port);
                RawHttp.send(s, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // and never the empty line
                stalled.add(s);
            }
            for (int round = 0; round < 3; round++) {
                HttpResponse<String> scrape = scrapeWithin(Duration.ofSeconds(2));
                assertThat(scrape.statusCode()).isEqualTo(200);
                assertThat(scrape.body()).contains("vtrecycler_");
            }
            // the scrapes were served while the cap's worth of stalled clients stayed connected
            long open = stalled.stream().filter(s -> !closed(s)).count();
            assertThat(open).isBetween((long) CAP - 4, (long) CAP);
        } finally {
            RawHttp.closeAll(stalled);
        }
    }

    @Test
    void aSilentConnectionIsClosedAfterTheDeadline() throws Exception {
        long start = System.nanoTime();
        try (Socket silent = RawHttp.connect(port)) {
            Duration closedAfter = RawHttp.awaitClosed(silent, start, DEADLINE.plus(SLACK).plus(SLACK));
            assertThat(closedAfter).isBetween(DEADLINE.minusMillis(300), DEADLINE.plus(SLACK));
        }
    }

    /** The deadline is for the whole request, not per read: a byte every 400 ms does not extend it. */
    @Test
    void aRequestDribbledByteByByteGetsNoMoreTime() throws Exception {
        long start = System.nanoTime();
        try (Socket dribbler = RawHttp.connect(port)) {
            String request = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "a".repeat(100) + "\r\n\r\n";
            int sent = 0;
            try {
                for (; sent < request.length(); sent++) {
                    RawHttp.send(dribbler, request.substring(sent, sent + 1));
                    Thread.sleep(400);
                }
            } catch (IOException closedUnderUs) {
                // expected: the server closed the connection at the deadline
            }
            Duration closedAfter = RawHttp.awaitClosed(dribbler, start, SLACK);
            assertThat(sent).as("bytes sent before the server gave up").isLessThan(request.length());
            assertThat(closedAfter).isBetween(DEADLINE.minusMillis(300), DEADLINE.plus(SLACK));
        }
    }

    @Test
    void aRequestWhoseBodyNeverComesIsClosedAfterTheDeadline() throws Exception {
        long start = System.nanoTime();
        try (Socket s = RawHttp.connect(port)) {
            RawHttp.send(s, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nabc");
            Duration closedAfter = RawHttp.awaitClosed(s, start, DEADLINE.plus(SLACK).plus(SLACK));
            assertThat(closedAfter).isBetween(DEADLINE.minusMillis(300), DEADLINE.plus(SLACK));
        }
    }

    @Test
    void theConnectionCapHoldsAndTheOldestIdleConnectionsGoFirst() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                sockets.add(RawHttp.connect(port));
            }
            Thread.sleep(300); // let the acceptor admit the last of them
            List<Integer> closed = IntStream.range(0, sockets.size()).filter(i -> closed(sockets.get(i))).boxed().toList();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("checked before any deadline")
                    .isLessThan(DEADLINE);
            assertThat(closed).as("connections the server closed").isEqualTo(IntStream.range(0, 50 - CAP).boxed().toList());
            assertThat(scrapeWithin(Duration.ofSeconds(2)).statusCode()).isEqualTo(200);
        } finally {
            RawHttp.closeAll(sockets);
        }
    }

    @Test
    void keepAliveServesPipelinedRequestsAndErrorsKeepTheirStatus() throws Exception {
        try (Socket s = RawHttp.connect(port)) {
            RawHttp.send(s, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody"
                    + "GET /-/healthy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            String answers = RawHttp.readUntilClosed(s, Duration.ofSeconds(10));
            assertThat(statusLines(answers)).containsExactly("HTTP/1.1 200 OK", "HTTP/1.1 200 OK",
                    "HTTP/1.1 404 Not Found", "HTTP/1.1 405 Method Not Allowed", "HTTP/1.1 200 OK");
            assertThat(answers).contains("Allow: GET, HEAD").endsWith("vtrecycler is healthy\n");
        }
        try (Socket s = RawHttp.connect(port)) {
            RawHttp.send(s, "GARBAGE\r\n\r\n");
            assertThat(RawHttp.readUntilClosed(s, Duration.ofSeconds(10))).startsWith("HTTP/1.1 400 Bad Request\r\n");
        }
    }

    private static List<String> statusLines(String answers) {
        return answers.lines().filter(l -> l.startsWith("HTTP/")).toList();
    }

    /** A scrape on a new connection, failing if it takes longer than {@code limit}. */
    private static HttpResponse<String> scrapeWithin(Duration limit) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(limit).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(limit).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static boolean closed(Socket s) {
        try {
            return RawHttp.closedByServer(s, Duration.ofMillis(20));
        } catch (IOException e) {
            return true;
        }
    }
}
