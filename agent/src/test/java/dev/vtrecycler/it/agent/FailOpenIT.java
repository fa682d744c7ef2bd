package dev.vtrecycler.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.it.apps.ControlledApp;
import dev.vtrecycler.it.support.ForkedJvm;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input never hurts the host: the application runs, the agent says one line. */
class FailOpenIT {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "mode=fast                 | bad value 'fast' for key 'mode'",
            "prot=9404                 | unknown key 'prot'",
            "port=99999                | bad value '99999' for key 'port'",
            "mode                      | bad agent argument 'mode'",
            "stack-limit=12q           | bad value '12q' for key 'stack-limit'"})
    void malformedArgumentsLeaveTheApplicationRunningWithOneLine(String args, String expected) throws Exception {
        try (ForkedJvm app = ForkedJvm.start(List.of(ForkedJvm.javaagent(args.trim())), ControlledApp.class)) {
            assertThat(app.readLine(Duration.ofSeconds(30))).isEqualTo("ready");
            assertThat(app.ask("start-kept 10")).isEqualTo("ok 10");
            assertThat(app.ask("counters")).isEqualTo("no-agent");
            assertThat(app.ask("exit")).isEqualTo("bye");
            assertThat(app.waitFor(Duration.ofSeconds(30))).isZero();
            assertThat(app.agentLines()).hasSize(1);
            assertThat(app.agentLines().get(0)).startsWith("[vtrecycler] disabled: ").contains(expected.trim());
        }
    }

    /** Nothing the agent starts (endpoint, JFR stream, housekeeping) may keep the host alive. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mode=observe,port=0,jfr=true", "mode=recycle,port=0,jfr=true", "mode=recycle,port=none"})
    void hostExitsWhenItsMainReturns(String args) throws Exception {
        try (ForkedJvm app = ForkedJvm.start(List.of(ForkedJvm.javaagent(args)), ControlledApp.class)) {
            assertThat(app.readLine(Duration.ofSeconds(30))).isEqualTo("ready");
            assertThat(app.ask("start-kept 20")).isEqualTo("ok 20");
            assertThat(app.ask("exit")).isEqualTo("bye");
            assertThat(app.waitFor(Duration.ofSeconds(20))).isZero();
            assertThat(app.agentLines()).anyMatch(l -> l.contains("active: mode="));
        }
    }

    @Test
    void badSystemPropertyIsNamed() throws Exception {
        try (ForkedJvm app = ForkedJvm.start(List.of("-Dvtrecycler.jfr=maybe", ForkedJvm.javaagent(null)), ControlledApp.class)) {
            assertThat(app.readLine(Duration.ofSeconds(30))).isEqualTo("ready");
            assertThat(app.ask("counters")).isEqualTo("no-agent");
            // stderr has its own pump: wait for the line rather than race it
            app.awaitStderr(l -> l.contains("bad value 'maybe'"), Duration.ofSeconds(10));
            assertThat(app.agentLines()).singleElement().asString()
                    .contains("bad value 'maybe' for key 'jfr' in -Dvtrecycler.jfr; allowed: true or false");
        }
    }

    @Test
    void portInUseKeepsCountingWithoutEndpoint() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ForkedJvm app = ForkedJvm.start(
                     List.of(ForkedJvm.javaagent("mode=observe,host=127.0.0.1,port=" + taken.getLocalPort())),
                     ControlledApp.class)) {
            assertThat(app.readLine(Duration.ofSeconds(30))).isEqualTo("ready");
            app.awaitStderr(l -> l.contains("active: mode=observe, no metrics endpoint"), Duration.ofSeconds(30));
            long before = created(app.ask("counters"));
            assertThat(app.ask("start-kept 50")).isEqualTo("ok 50");
            assertThat(created(app.ask("counters")) - before).isEqualTo(50);
            assertThat(app.agentLines()).anyMatch(l -> l.startsWith("[vtrecycler] metrics endpoint not started: cannot bind 127.0.0.1:"
                    + taken.getLocalPort()));
        }
    }

    @Test
    void modeOffLoadsNothing() throws Exception {
        try (ForkedJvm app = ForkedJvm.start(List.of("-Xshare:auto", ForkedJvm.javaagent("mode=off")), ControlledApp.class)) {
            assertThat(app.readLine(Duration.ofSeconds(30))).isEqualTo("ready");
            assertThat(app.ask("start-kept 10")).isEqualTo("ok 10");
            assertThat(app.ask("counters")).isEqualTo("no-agent");
            assertThat(app.ask("exit")).isEqualTo("bye");
            app.waitFor(Duration.ofSeconds(30));
            assertThat(app.agentLines()).containsExactly("[vtrecycler] mode=off: the agent does nothing");
            // nothing appended to the boot class path, so no CDS notice either
            assertThat(app.stderrLines()).noneMatch(l -> l.contains("bootstrap classpath has been appended"));
        }
    }

    @Test
    void killSwitchBySystemProperty() throws Exception {
        try (ForkedJvm app = ForkedJvm.start(List.of("-Dvtrecycler.mode=off", ForkedJvm.javaagent("port=0")), ControlledApp.class)) {
            assertThat(app.readLine(Duration.ofSeconds(30))).isEqualTo("ready");
            assertThat(app.ask("counters")).isEqualTo("no-agent");
        }
    }

    static long created(String counters) {
        for (String part : counters.split(" ")) {
            if (part.startsWith("created=")) {
                return Long.parseLong(part.substring("created=".length()));
            }
        }
        throw new AssertionError("no created counter in: " + counters);
    }
}
