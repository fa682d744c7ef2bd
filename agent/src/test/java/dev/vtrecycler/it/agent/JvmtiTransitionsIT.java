package dev.vtrecycler.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.it.apps.ControlledApp;
import dev.vtrecycler.it.support.ForkedJvm;
import dev.vtrecycler.it.support.Scrape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** vtrecycler_info says whether HotSpot routes virtual-thread mounts through JVMTI, as the JVM was started. */
class JvmtiTransitionsIT {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "default, on",
            "unlocked, on",
            "flag off, off"})
    void infoLabelFollowsTheVmFlag(String how, String expected) throws Exception {
        List<String> options = new ArrayList<>();
        if (!how.equals("default")) {
            options.add("-XX:+UnlockExperimentalVMOptions");
        }
        if (how.equals("flag off")) {
            options.add("-XX:-DoJVMTIVirtualThreadTransitions");
        }
        options.add(ForkedJvm.javaagent("mode=recycle,port=0,host=127.0.0.1"));
        try (ForkedJvm app = ForkedJvm.start(options, ControlledApp.class)) {
            Scrape scrape = Scrape.of(app.metricsPort());
            assertThat(app.readLine(Duration.ofSeconds(30))).isEqualTo("ready");
            assertThat(app.ask("start-kept 50")).isEqualTo("ok 50");
            assertThat(scrape.body()).containsPattern("vtrecycler_info\\{[^}]*vthread_jvmti_transitions=\"" + expected + "\"");
        }
    }
}
