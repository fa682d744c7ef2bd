package dev.vtrecycler.demo.ab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.demo.measure.ProcessStats;
import dev.vtrecycler.demo.serve.DemoService;
import dev.vtrecycler.demo.serve.RequestThreads;
import dev.vtrecycler.demo.serve.RequestWork;
import dev.vtrecycler.demo.serve.ServedRequests;
import dev.vtrecycler.demo.serve.ServerKind;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every server of {@code --server}, the real library in this JVM, on virtual threads and on its
 * platform pool ({@code --threads}): its route runs the work on the threads asked for (and only
 * there), answers with a Content-Length the load generator can read, keeps one connection alive for
 * more requests than Tomcat's default cap of 100 (so every server carries the load the same way), and
 * answers {@code /-/stats} without counting it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServersTest {
    private static final int REQUESTS = 150;

    static Stream<Arguments> serversAndThreads() {
        return Arrays.stream(ServerKind.values())
                .flatMap(kind -> Arrays.stream(RequestThreads.values()).map(threads -> Arguments.of(kind, threads)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("serversAndThreads")
    void answersItsRouteOnTheThreadsAskedForOverOneKeptAliveConnection(ServerKind kind, RequestThreads threads)
            throws Exception {
        boolean virtual = threads == RequestThreads.VIRTUAL;
        try (DemoService server = kind.start(0, new ServedRequests(RequestWork.EMPTY), threads)) {
            try (KeepAliveConnection connection = new KeepAliveConnection(server.port())) {
                for (int i = 0; i < REQUESTS; i++) {
                    assertThat(connection.get(kind.path())).isEqualTo("ok, virtual thread: " + virtual + "\n");
                    assertThat(connection.reusable()).as("kept alive after request %d", i + 1).isTrue();
                }
                ProcessStats stats = ProcessStats.parse(connection.get(ServedRequests.STATS_PATH));
                assertThat(stats.requests()).isEqualTo(REQUESTS);
            }
            assertThat(server.requests().requests()).isEqualTo(REQUESTS);
            assertThat(server.requests().onVirtualThreads()).isEqualTo(virtual ? REQUESTS : 0);
        }
    }
}
