package dev.vtrecycler.demo.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtrecycler.demo.ab.CpuSplit;
import dev.vtrecycler.demo.ab.Load;
import dev.vtrecycler.demo.ab.ServiceAb;
import dev.vtrecycler.demo.cli.ParsedOptions;
import dev.vtrecycler.demo.cli.UsageException;
import dev.vtrecycler.demo.serve.RequestWork;
import dev.vtrecycler.demo.serve.ServerKind;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** service-ab's options become the plan; every bad value is one line naming the option and what is allowed. */
class ServiceAbCommandTest {
    private static final ServiceAbCommand COMMAND = new ServiceAbCommand();

    private static ParsedOptions parse(String args) {
        return COMMAND.parser().parse(args.isBlank() ? List.of() : Arrays.asList(args.trim().split("\\s+")));
    }

    static Stream<Arguments> plans() {
        return Stream.of(
                Arguments.of("", ServiceAb.Plan.DEFAULT),
                Arguments.of("--quick", ServiceAb.Plan.QUICK),
                Arguments.of("--rounds 5 --heap 48m --neighbour 2 --work empty",
                        new ServiceAb.Plan(ServiceAb.Plan.DEFAULT.loads(), 5, Duration.ofSeconds(8), Duration.ofSeconds(8),
                                "48m", RequestWork.EMPTY, 2, false)),
                Arguments.of("--rates 1000,3000 --in-flight 32 --warmup 4 --step 10",
                        new ServiceAb.Plan(List.of(Load.rate(1000), Load.rate(3000), Load.max(32)), 2,
                                Duration.ofSeconds(4), Duration.ofSeconds(10), "256m", RequestWork.DEMO, 0, false)),
                Arguments.of("--interleave --rounds 3",
                        new ServiceAb.Plan(ServiceAb.Plan.DEFAULT.loads(), 3, Duration.ofSeconds(8), Duration.ofSeconds(8),
                                "256m", RequestWork.DEMO, 0, true)),
                Arguments.of("--quick --rates none",
                        new ServiceAb.Plan(List.of(Load.max(16)), 1, Duration.ofSeconds(2), Duration.ofSeconds(2),
                                "256m", RequestWork.DEMO, 0, false)));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("plans")
    void optionsBecomeThePlan(String args, ServiceAb.Plan expected) {
        assertThat(ServiceAbCommand.plan(parse(args))).isEqualTo(expected);
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("--heap 48 MB", "service-ab: unexpected argument 'MB' (options: "),
                Arguments.of("--heap lots", "service-ab: --heap must be a size such as 48m or 1g, got 'lots'"),
                Arguments.of("--rates 1000,fast", "service-ab: --rates must be requests per second between 1 and"
                        + " 1000000, comma-separated, or none; got 'fast'"),
                Arguments.of("--rates 0", "service-ab: --rates must be requests per second between 1 and"
                        + " 1000000, comma-separated, or none; got '0'"),
                Arguments.of("--work heavy", "service-ab: --work must be one of demo, empty, got 'heavy'"));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("badValues")
    void badValuesAreOneLine(String args, String message) {
        assertThatThrownBy(() -> ServiceAbCommand.plan(parse(args))).isInstanceOf(UsageException.class)
                .hasMessageStartingWith(message);
    }

    static Stream<Arguments> serverLists() {
        return Stream.of(
                Arguments.of("jetty", List.of(ServerKind.JETTY)),
                Arguments.of("tomcat,spring,spring-async,jdk",
                        List.of(ServerKind.TOMCAT, ServerKind.SPRING, ServerKind.SPRING_ASYNC, ServerKind.JDK)),
                Arguments.of(" JDK , jetty,jdk", List.of(ServerKind.JDK, ServerKind.JETTY)));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("serverLists")
    void serversAreACommaList(String text, List<ServerKind> expected) {
        assertThat(ServiceAbCommand.servers("service-ab", text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("badServers")
    void anUnknownServerNamesTheAllowedOnes(String text, String bad) {
        assertThatThrownBy(() -> ServiceAbCommand.servers("service-ab", text)).isInstanceOf(UsageException.class)
                .hasMessage("service-ab: --server must be one or more of jetty, tomcat, spring, spring-async, jdk"
                        + " (comma-separated), got '" + bad + "'");
    }

    static Stream<Arguments> badServers() {
        return Stream.of(Arguments.of("undertow", "undertow"), Arguments.of("jetty,,jdk", ""),
                Arguments.of("spring_async", "spring_async"));
    }

    static Stream<Arguments> cpuSplits() {
        return Stream.of(
                Arguments.of("", 2, CpuSplit.NONE),
                Arguments.of("--cpus 1/0", 2, new CpuSplit("1", "0")),
                Arguments.of("--cpus 2-3/0,1", 4, new CpuSplit("2-3", "0,1")),
                Arguments.of("--cpus 0,2/1,3", 4, new CpuSplit("0,2", "1,3")));
    }

    @ParameterizedTest(name = "[{0}] on {1} processors")
    @MethodSource("cpuSplits")
    void cpusSplitTheMachine(String args, int processors, CpuSplit expected) {
        assertThat(ServiceAbCommand.cpus(parse(args), processors)).isEqualTo(expected);
    }

    static Stream<Arguments> badCpuSplits() {
        String syntax = "service-ab: --cpus must be the server's CPUs and the load generator's, as taskset CPU lists"
                + " separated by '/', e.g. 1/0 or 2-3/0-1; got ";
        return Stream.of(
                Arguments.of("--cpus 1", 2, syntax + "'1'"),
                Arguments.of("--cpus 1/", 2, syntax + "'1/'"),
                Arguments.of("--cpus 1/0/2", 4, syntax + "'1/0/2'"),
                Arguments.of("--cpus one/zero", 2, syntax + "'one/zero'"),
                Arguments.of("--cpus 1/0-1", 2, "service-ab: --cpus gives CPUs to both the server and the load generator"
                        + " ('1/0-1'): they must not share one"),
                Arguments.of("--cpus 2/0", 2, "service-ab: --cpus names CPU 2, but this machine lets the load generator"
                        + " use CPUs 0-1"),
                Arguments.of("--cpus 3-2/0", 4, "service-ab: --cpus names CPU range 3-2, but this machine lets the load"
                        + " generator use CPUs 0-3"));
    }

    @ParameterizedTest(name = "[{0}] on {1} processors")
    @MethodSource("badCpuSplits")
    void aBadCpuSplitIsOneLine(String args, int processors, String message) {
        assertThatThrownBy(() -> ServiceAbCommand.cpus(parse(args), processors)).isInstanceOf(UsageException.class)
                .hasMessage(message);
    }
}
