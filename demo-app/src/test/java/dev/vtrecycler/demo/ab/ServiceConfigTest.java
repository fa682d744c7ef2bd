package dev.vtrecycler.demo.ab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtrecycler.demo.serve.RequestThreads;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@code --configs}: parsing, the default set, and the A/A control that must start exactly as observe does. */
class ServiceConfigTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no-agent,observe,recycle        | NO_AGENT,OBSERVE,RECYCLE",
            "observe, observe-again ,recycle | OBSERVE,OBSERVE_AGAIN,RECYCLE",
            "RECYCLE,observe,recycle         | RECYCLE,OBSERVE",
            "recycle-jvmti-off               | RECYCLE_NO_JVMTI",
            "observe,schedule,recycle        | OBSERVE,SCHEDULE,RECYCLE",
            "recycle,recycle-always          | RECYCLE,RECYCLE_ALWAYS",
            "no-agent,platform-threads       | NO_AGENT,PLATFORM_THREADS",
            "recycle,recycle-jdk-wakeups     | RECYCLE,RECYCLE_JDK_WAKEUPS",
            "recycle-jdk-timers,recycle      | RECYCLE_JDK_TIMERS,RECYCLE",
    })
    void parsesInTheOrderGivenWithoutRepeats(String text, String expected) {
        assertThat(ServiceConfig.parseList(text)).map(Enum::name).containsExactly(expected.split(","));
    }

    @Test
    void anUnknownNameIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> ServiceConfig.parseList("observe,observ"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 'observ'")
                .hasMessageContaining("observe-again");
    }

    @Test
    void theDefaultIsEveryConfigurationButTheAaControl() {
        assertThat(ServiceConfig.DEFAULT).containsExactly(ServiceConfig.NO_AGENT, ServiceConfig.OBSERVE,
                ServiceConfig.RECYCLE, ServiceConfig.RECYCLE_NO_JVMTI);
        assertThat(List.of(ServiceConfig.values())).containsAll(ServiceConfig.DEFAULT).contains(ServiceConfig.OBSERVE_AGAIN);
    }

    @Test
    void scheduleStartsTheAgentInModeScheduleOutsideTheDefaultSet() {
        assertThat(ServiceConfig.SCHEDULE.jvmOptions(Path.of("agent.jar")))
                .containsExactly("-javaagent:agent.jar=mode=schedule,port=0,host=127.0.0.1");
        assertThat(ServiceConfig.DEFAULT).doesNotContain(ServiceConfig.SCHEDULE);
    }

    @Test
    void recycleAlwaysTurnsTheRouteGovernorOffOutsideTheDefaultSet() {
        assertThat(ServiceConfig.RECYCLE_ALWAYS.jvmOptions(Path.of("agent.jar")))
                .containsExactly("-javaagent:agent.jar=mode=recycle,fallback=off,port=0,host=127.0.0.1");
        assertThat(ServiceConfig.DEFAULT).doesNotContain(ServiceConfig.RECYCLE_ALWAYS);
    }

    @Test
    void theFloorRunsTheServerOnPlatformThreadsWithoutTheAgentOutsideTheDefaultSet() {
        assertThat(ServiceConfig.PLATFORM_THREADS.jvmOptions(Path.of("agent.jar"))).isEmpty();
        assertThat(ServiceConfig.PLATFORM_THREADS.hasAgent()).isFalse();
        assertThat(ServiceConfig.PLATFORM_THREADS.threads()).isEqualTo(RequestThreads.PLATFORM);
        assertThat(ServiceConfig.DEFAULT).doesNotContain(ServiceConfig.PLATFORM_THREADS)
                .allMatch(c -> c.threads() == RequestThreads.VIRTUAL);
    }

    @Test
    void recycleWithJdkWakeupsLeavesWakeupsToTheJdkOutsideTheDefaultSet() {
        assertThat(ServiceConfig.RECYCLE_JDK_WAKEUPS.jvmOptions(Path.of("agent.jar")))
                .containsExactly("-javaagent:agent.jar=mode=recycle,wakeups=jdk,port=0,host=127.0.0.1");
        assertThat(ServiceConfig.DEFAULT).doesNotContain(ServiceConfig.RECYCLE_JDK_WAKEUPS);
    }

    @Test
    void recycleWithJdkTimersLeavesTimedParksToTheJdkOutsideTheDefaultSet() {
        assertThat(ServiceConfig.RECYCLE_JDK_TIMERS.jvmOptions(Path.of("agent.jar")))
                .containsExactly("-javaagent:agent.jar=mode=recycle,timers=jdk,port=0,host=127.0.0.1");
        assertThat(ServiceConfig.DEFAULT).doesNotContain(ServiceConfig.RECYCLE_JDK_TIMERS);
    }

    @Test
    void theAaControlStartsTheServerExactlyAsObserveDoes() {
        Path jar = Path.of("agent.jar");
        assertThat(ServiceConfig.OBSERVE_AGAIN.jvmOptions(jar)).isEqualTo(ServiceConfig.OBSERVE.jvmOptions(jar));
        assertThat(ServiceConfig.OBSERVE_AGAIN.label()).isNotEqualTo(ServiceConfig.OBSERVE.label());
    }
}
