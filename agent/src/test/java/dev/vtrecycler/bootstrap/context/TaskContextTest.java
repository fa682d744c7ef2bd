package dev.vtrecycler.bootstrap.context;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without an APM agent (this test JVM has none) nothing is captured and nothing is entered; the
 * OpenTelemetry executors switch is read the way that agent reads it. Behaviour with the real agent:
 * {@code TracePropagationIT}.
 */
class TaskContextTest {

    @Test
    void withoutAnAgentNothingIsCarried() {
        Runnable task = () -> { };
        ApmAgents.classLoading("io/opentelemetry/javaagent/bootstrap/AgentInitializer"); // asks for a probe
        for (int i = 0; i < 3; i++) { // the first call probes and finds nothing, later ones do not look
            assertThat(TaskContext.capture(task)).isNull();
        }
        assertThat(TaskContext.enter(null)).isNull();
        TaskContext.exit(null);
        assertThat(TaskContext.carrying()).isNull();
        assertThat(ApmAgents.present()).isEmpty();
    }

    @Test
    void withoutAnAgentExecutorsAreHandedOutAsIs() {
        try (ExecutorService executor = Executors.newSingleThreadExecutor()) {
            assertThat(ApmAgents.exposeToAgents(executor)).isSameAs(executor);
            ApmAgents.classLoading("co/elastic/apm/api/ElasticApm"); // an API jar alone: no premain class
            assertThat(ApmAgents.exposeToAgents(executor)).isSameAs(executor);
            assertThat(ApmAgents.exposeToAgents(executor)).isSameAs(executor);
        }
    }

    @ParameterizedTest(name = "executors.enabled={0}, common.default-enabled={1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            "null,  null,  true",
            "true,  null,  true",
            "false, null,  false",
            "FALSE, null,  false",
            "' false ', null, false",
            "null,  false, false",
            "true,  false, true",
            "false, true,  false",
            "null,  true,  true",
            "yes,   null,  false",
            "'',    false, false",
            "'',    null,  true",
    })
    void executorsSwitchFollowsTheAgentsPrecedence(String own, String common, boolean expected) {
        assertThat(OpenTelemetryBridge.enabled(own, common)).isEqualTo(expected);
    }
}
