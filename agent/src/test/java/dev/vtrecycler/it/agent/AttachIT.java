package dev.vtrecycler.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.it.apps.ControlledApp;
import dev.vtrecycler.it.support.ForkedJvm;
import dev.vtrecycler.it.support.Scrape;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code java -jar vtrecycler-agent.jar attach <pid>} against a JVM started without the agent. */
class AttachIT {

    @Test
    void attachToRunningJvmThenCountersMoveAndSecondAttachChangesNothing() throws Exception {
        try (ForkedJvm app = ForkedJvm.start(List.of("-XX:+EnableDynamicAgentLoading"), ControlledApp.class)) {
            assertThat(app.readLine(Duration.ofSeconds(30))).isEqualTo("ready");
            assertThat(app.ask("counters")).isEqualTo("no-agent");

            try (ForkedJvm list = tool("list")) {
                assertThat(list.waitFor(Duration.ofSeconds(60))).isZero();
                assertThat(list.stdoutLines()).anyMatch(l -> l.startsWith(app.pid() + " "));
            }
            try (ForkedJvm attach = tool("attach", String.valueOf(app.pid()), "mode=observe,port=0,host=127.0.0.1")) {
                assertThat(attach.waitFor(Duration.ofSeconds(60))).isZero();
                assertThat(attach.stdoutLines()).anyMatch(l -> l.startsWith("[vtrecycler] attached to JVM " + app.pid()));
                assertThat(attach.stdoutLines()).anyMatch(l -> l.startsWith("[vtrecycler] JVMTI virtual-thread transitions: on"));
            }
            int port = app.metricsPort();
            Scrape before = Scrape.of(port);
            assertThat(app.ask("start-kept 200")).isEqualTo("ok 200");
            assertThat(Scrape.of(port).value("vtrecycler_virtual_threads_created_total")
                    - before.value("vtrecycler_virtual_threads_created_total")).isEqualTo(200);

            try (ForkedJvm again = tool("attach", String.valueOf(app.pid()), "mode=recycle,port=0")) {
                assertThat(again.waitFor(Duration.ofSeconds(60))).isZero();
                assertThat(again.stdoutLines()).anyMatch(l -> l.contains("already active in JVM " + app.pid())
                        && l.contains("mode=observe") && l.contains("nothing changed"));
            }
            assertThat(app.agentLines()).filteredOn(l -> l.contains("active: mode=")).hasSize(1);
        }
    }

    @Test
    void badArgumentsAreRejectedBeforeAttaching() throws Exception {
        try (ForkedJvm attach = tool("attach", "1", "mode=sideways")) {
            assertThat(attach.waitFor(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(attach.stderrLines()).containsExactly(
                    "[vtrecycler] bad value 'sideways' for key 'mode' in agent argument; allowed: recycle, schedule, observe or off");
        }
        try (ForkedJvm usage = tool("detach")) {
            assertThat(usage.waitFor(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(usage.stderrLines()).first().asString().startsWith("usage:");
            assertThat(usage.stderrLines()).contains("  mode: recycle, schedule, observe or off", "  idle-timeout: a duration such as 500ms, 60s, 5m, 1h");
        }
    }

    private static ForkedJvm tool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ForkedJvm.javaLauncher(), "-jar", ForkedJvm.agentJar().toString()));
        command.addAll(List.of(args));
        return ForkedJvm.exec(command);
    }
}
