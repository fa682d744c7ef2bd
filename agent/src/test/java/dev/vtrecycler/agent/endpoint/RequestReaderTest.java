package dev.vtrecycler.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestReaderTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            // request                                                      | method | path       | keepAlive | accept
            "GET /metrics HTTP/1.1\\r\\nHost: x\\r\\nAccept: text/plain\\r\\n\\r\\n | GET | /metrics | true  | text/plain",
            "GET /metrics HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n | GET  | /metrics  | false | ",
            "GET /metrics HTTP/1.0\\r\\n\\r\\n                                  | GET  | /metrics  | false | ",
            "GET /metrics HTTP/1.0\\r\\nConnection: Keep-Alive\\r\\n\\r\\n     | GET  | /metrics  | true  | ",
            "HEAD /-/healthy HTTP/1.1\\nHost: x\\n\\n                            | HEAD | /-/healthy | true | ",
            "GET /metrics?name[]=x HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n              | GET  | /metrics  | true  | ",
            "GET /%6detrics HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n                     | GET  | /metrics  | true  | ",
            "GET http://host:9404/metrics HTTP/1.1\\r\\nHost: host:9404\\r\\n\\r\\n | GET  | /metrics  | true  | ",
            "\\r\\nGET /metrics HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n                 | GET  | /metrics  | true  | ",
            "GET /x HTTP/1.1\\r\\nHost: x\\r\\nAccept: a\\r\\nAccept:  b \\r\\n\\r\\n | GET  | /x        | true  | a, b",
            "POST /metrics HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 5\\r\\n\\r\\nhello | POST | /metrics  | true  | "})
    void parsesRequests(String raw, String method, String path, boolean keepAlive, String accept) throws Exception {
        Request request = reader(unescape(raw)).read(() -> {});
        assertThat(request.method()).isEqualTo(method);
        assertThat(request.path()).isEqualTo(path);
        assertThat(request.keepAlive()).isEqualTo(keepAlive);
        assertThat(request.header("accept")).isEqualTo(accept);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
            "GARBAGE\\r\\n\\r\\n                                       | 400",
            "GET /metrics\\r\\n\\r\\n                                  | 400",
            "GET  /metrics HTTP/1.1\\r\\n\\r\\n                        | 400",
            "GET /metrics HTTP/2.0\\r\\n\\r\\n                         | 505",
            "GET /metrics HTTP/1.1\\r\\nBad Header: x\\r\\n\\r\\n      | 400",
            "GET /metrics HTTP/1.1\\r\\nNoColon\\r\\n\\r\\n            | 400",
            "GET /metrics HTTP/1.1\\r\\nA: b\\r\\n folded\\r\\n\\r\\n   | 400",
            "GET /metrics HTTP/1.1\\r\\nContent-Length: 1\\r\\nContent-Length: 1\\r\\n\\r\\nx | 400",
            "GET /metrics HTTP/1.1\\r\\nContent-Length: -1\\r\\n\\r\\n  | 400",
            "GET /metrics HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 65537\\r\\n\\r\\n | 413",
            "GET /metrics HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n | 501",
            "GET /a b c HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n                   | 400",
            "GET /a^b HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n                     | 400",
            "GET /metrics HTTP/1.1\\r\\n\\r\\n                         | 400",
            "GET /metrics HTTP/1.1\\r\\nAccept: */*\\r\\n\\r\\n      | 400",
            "GET /metrics HTTP/1.1\\r\\nHost: x\\r\\nHost: y\\r\\n\\r\\n | 400",
            "GET /metrics HTTP/1.1\\r\\nHost: x\\rX-Smuggled: y\\r\\n\\r\\n | 400",
            "GET /metrics HTTP/1.1\\r\\nHost: x\\r\\nA: b\\rc\\r\\n\\r\\n | 400",
            "GET /metrics\\r HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n         | 400",
            "GET /metrics HTTP/1.1\\r\\nHost: x\\u0000\\r\\n\\r\\n   | 400"})
    void rejectsWithStatus(String raw, int status) {
        assertThatThrownBy(() -> reader(unescape(raw)).read(() -> {}))
                .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.status).isEqualTo(status));
    }

    @Test
    void aLargeAcceptHeaderPassesAndTooLargeAHeadIs431() throws Exception {
        String big = "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: " + "a".repeat(100_000) + "\r\n\r\n";
        assertThat(reader(big).read(() -> {}).header("accept")).hasSize(100_000);
        String huge = "GET /metrics HTTP/1.1\r\nAccept: " + "a".repeat(RequestReader.MAX_HEAD_BYTES) + "\r\n\r\n";
        assertThatThrownBy(() -> reader(huge).read(() -> {}))
                .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.status).isEqualTo(431));
    }

    @Test
    void headerLinesAreCappedAndRepeatsCostTheirOwnLengthOnly() throws Exception {
        String hundred = "GET /metrics HTTP/1.1\r\nHost: x\r\n" + "a: b\r\n".repeat(RequestReader.MAX_HEADER_LINES - 1) + "\r\n";
        assertThat(reader(hundred).read(() -> {}).header("a")).isEqualTo(String.join(", ", java.util.Collections.nCopies(99, "b")));
        String bomb = "GET /metrics HTTP/1.1\r\nHost: x\r\n" + "a:b\r\n".repeat((RequestReader.MAX_HEAD_BYTES - 100) / 5) + "\r\n";
        assertThatThrownBy(() -> reader(bomb).read(() -> {}))
                .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.status).isEqualTo(431));
    }

    @Test
    void readsPipelinedRequestsInOrderSkippingBodiesAndSignalsTheFirstByteOfEach() throws Exception {
        RequestReader reader = reader("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyzGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
        AtomicInteger firstBytes = new AtomicInteger();
        assertThat(reader.read(firstBytes::incrementAndGet).path()).isEqualTo("/a");
        assertThat(reader.read(firstBytes::incrementAndGet).path()).isEqualTo("/b");
        assertThat(reader.read(firstBytes::incrementAndGet)).isNull(); // clean end between requests
        assertThat(firstBytes).hasValue(2);
    }

    @Test
    void endOfStreamInsideARequestIsAnError() {
        assertThatThrownBy(() -> reader("GET /metrics HTTP/1.1\r\nHost: x\r\n").read(() -> {}))
                .isInstanceOf(EOFException.class);
    }

    private static RequestReader reader(String raw) {
        return new RequestReader(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static String unescape(String s) {
        return s.strip().replace("\\r", "\r").replace("\\n", "\n").replace("\\u0000", "\0");
    }
}
