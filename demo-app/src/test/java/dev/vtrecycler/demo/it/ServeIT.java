package dev.vtrecycler.demo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** serve with its load generator: requests are served, every one of them on a virtual thread. */
class ServeIT {
    private static final Pattern STOPPED =
            Pattern.compile("serve: stopped; (\\d+) requests, (\\d+) on virtual threads; load: (\\d+) sent, (\\d+) failed");

    @Test
    void handlersRunOnVirtualThreads() throws Exception {
        DemoJar.Result result = DemoJar.run(60, "serve", "--port", "0", "--load", "--rate", "50", "--duration", "3");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("serve: listening on http://127.0.0.1:");
        Matcher stopped = STOPPED.matcher(result.stdout());
        assertThat(stopped.find()).as(result.stdout()).isTrue();
        long requests = Long.parseLong(stopped.group(1));
        assertThat(requests).isPositive();
        assertThat(Long.parseLong(stopped.group(2))).isEqualTo(requests);
        assertThat(Long.parseLong(stopped.group(4))).isZero();
    }
}
