package dev.vtrecycler.demo.ab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.demo.measure.ProcessStats;
import dev.vtrecycler.demo.serve.DemoService;
import dev.vtrecycler.demo.serve.RequestWork;
import dev.vtrecycler.demo.serve.ServedRequests;
import dev.vtrecycler.demo.serve.ServerKind;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every server of {@code --server}, the real library in this JVM: its route runs the work on a
 * virtual thread, answers with a Content-Length the load generator can read, keeps one connection
 * alive for more requests than Tomcat's default cap of 100 (so every server carries the load the
 * same way), and answers {@code /-/stats} without counting it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServersTest {
    private static final int REQUESTS = 150;

    @ParameterizedTest
    @EnumSource(ServerKind.class)
    void answersItsRouteOnVirtualThreadsOverOneKeptAliveConnection(ServerKind kind) throws Exception {
        try (DemoService server = kind.start(0, new ServedRequests(RequestWork.EMPTY))) {
            try (KeepAliveConnection connection = new KeepAliveConnection(server.port())) {
                for (int i = 0; i < REQUESTS; i++) {
                    assertThat(connection.get(kind.path())).isEqualTo("ok, virtual thread: true\n");
                    assertThat(connection.reusable()).as("kept alive after request %d", i + 1).isTrue();
                }
                ProcessStats stats = ProcessStats.parse(connection.get(ServedRequests.STATS_PATH));
                assertThat(stats.requests()).isEqualTo(REQUESTS);
            }
            assertThat(server.requests().requests()).isEqualTo(REQUESTS);
            assertThat(server.requests().onVirtualThreads()).isEqualTo(REQUESTS);
        }
    }
}
