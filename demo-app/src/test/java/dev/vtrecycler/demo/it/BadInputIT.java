package dev.vtrecycler.demo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Bad input gives one clear line on stderr and a non-zero exit, from the real jar. */
class BadInputIT {

    @Test
    void unknownSubcommand() throws Exception {
        DemoJar.Result result = DemoJar.run(30, "sieeve");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderrLines()).containsExactly(
                "vtrecycler-demo: unknown subcommand 'sieeve' (expected one of sieve, ping, serve, compare, service-ab, startup; try --help)");
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void badNumber() throws Exception {
        DemoJar.Result result = DemoJar.run(30, "ping", "--rounds", "twenty");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderrLines()).containsExactly(
                "vtrecycler-demo ping: --rounds needs a whole number, got 'twenty' (try ping --help)");
    }

    @Test
    void portTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            DemoJar.Result result = DemoJar.run(30, "serve", "--port", String.valueOf(port), "--duration", "5");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderrLines()).containsExactly("vtrecycler-demo serve: port " + port
                    + " on 127.0.0.1 is already in use (choose another with --port, 0 = any free port)");
        }
    }
}
