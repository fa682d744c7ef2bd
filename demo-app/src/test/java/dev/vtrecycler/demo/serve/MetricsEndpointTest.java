package dev.vtrecycler.demo.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricsEndpointTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-javaagent:agent/target/vtrecycler-agent.jar | http://127.0.0.1:9404/metrics",
        "-javaagent:/x/vtrecycler-agent.jar=mode=recycle,port=9500 | http://127.0.0.1:9500/metrics",
        "-javaagent:/x/vtrecycler-agent.jar=port=9501,host=0.0.0.0 | http://127.0.0.1:9501/metrics (the agent listens on 0.0.0.0)",
        "-javaagent:/x/vtrecycler-agent.jar=port=9502,host=127.0.0.2 | http://127.0.0.2:9502/metrics",
        "-javaagent:/x/vtrecycler-agent.jar=port=0 | the free port the agent chose",
        "-javaagent:/x/vtrecycler-agent.jar=mode=observe,port=none | endpoint is off (port=none)",
        "-javaagent:/x/other-agent.jar=port=1 | no vtrecycler agent attached",
        "-Xmx1g | no vtrecycler agent attached"
    })
    void readsTheAgentOptions(String jvmArgument, String expected) {
        assertThat(MetricsEndpoint.describe(List.of(jvmArgument), "http")).contains(expected);
    }

    /** With a web-config's tls_server_config the agent serves https and says so. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https | https://127.0.0.1:9404/metrics",
        "http  | http://127.0.0.1:9404/metrics"
    })
    void printsTheSchemeTheAgentServes(String scheme, String expected) {
        assertThat(MetricsEndpoint.describe(List.of("-javaagent:/x/vtrecycler-agent.jar=web-config=web.yml"), scheme))
                .contains(expected);
    }
}
