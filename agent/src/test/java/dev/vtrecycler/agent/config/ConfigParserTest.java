package dev.vtrecycler.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigParserTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of(null, "mode=recycle,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("", "mode=recycle,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("mode=observe", "mode=observe,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("mode=off", "mode=off,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("port=none,host=127.0.0.1", "mode=recycle,host=127.0.0.1,port=none,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("port=0", "mode=recycle,host=0.0.0.0,port=0,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of(" jfr = true ", "mode=recycle,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=true,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("local-cap=8,stack-limit=16k", "mode=recycle,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=8,stack-limit=16384,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("stack-limit=1m,idle-timeout=500ms", "mode=recycle,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=1048576,idle-timeout=PT0.5S,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("stack-limit=2048,idle-timeout=2h", "mode=recycle,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=2048,idle-timeout=PT2H,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("include=com.acme;org.example.,exclude=com.acme.legacy", "mode=recycle,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=com.acme;org.example.,exclude=com.acme.legacy,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("port=9412,web-config=conf/web.yml", "mode=recycle,host=0.0.0.0,port=9412,web-config=conf/web.yml,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("web-config=none", "mode=recycle,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("host=::1", "mode=recycle,host=::1,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("wakeups=jdk", "mode=recycle,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=jdk,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("mode=observe,wakeups=reuse", "mode=observe,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("mode=schedule", "mode=schedule,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("mode=schedule,timers=reuse", "mode=schedule,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("mode=schedule,timers=jdk", "mode=schedule,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=jdk,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("bootstrap=append", "mode=recycle,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=append,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("pinned-threshold=0ms,pinned-sites=0", "mode=recycle,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0S,pinned-sites=0,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("pinned-threshold=5ms,pinned-sites=100", "mode=recycle,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.005S,pinned-sites=100,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("carrier-sampling=off,deadlock-check=off,threads-endpoint=true", "mode=recycle,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=off,deadlock-check=off,threads-endpoint=true,fallback=auto"),
                Arguments.of("endpoint-max-connections=64,endpoint-max-connections-per-client=1,endpoint-request-timeout=1500ms,endpoint-auth-queue=1", "mode=recycle,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=64,endpoint-max-connections-per-client=1,endpoint-request-timeout=PT1.5S,endpoint-auth-queue=1,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=auto"),
                Arguments.of("fallback=off", "mode=recycle,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.05S,deadlock-check=PT10S,threads-endpoint=false,fallback=off"),
                Arguments.of("carrier-sampling=1ms,deadlock-check=100ms", "mode=recycle,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT0.001S,deadlock-check=PT0.1S,threads-endpoint=false,fallback=auto"),
                Arguments.of("carrier-sampling=10s,deadlock-check=1h", "mode=recycle,host=0.0.0.0,port=9404,web-config=none,endpoint-max-connections=32,endpoint-max-connections-per-client=8,endpoint-request-timeout=PT5S,endpoint-auth-queue=4,jfr=false,local-cap=64,stack-limit=auto,idle-timeout=PT1M,include=,exclude=,wakeups=reuse,timers=reuse,bootstrap=define,pinned-threshold=PT0.02S,pinned-sites=10,carrier-sampling=PT10S,deadlock-check=PT1H,threads-endpoint=false,fallback=auto"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void parsesValidArguments(String args, String expected) throws Exception {
        assertThat(ConfigParser.parse(args, new Properties())).hasToString(expected);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("mode=fast", "bad value 'fast' for key 'mode' in agent argument; allowed: recycle, schedule, observe or off"),
                Arguments.of("mode=RECYCLE", "bad value 'RECYCLE' for key 'mode' in agent argument; allowed: recycle, schedule, observe or off"),
                Arguments.of("prot=9404", "unknown key 'prot' in agent argument; known keys: mode, host, port, web-config, endpoint-max-connections, endpoint-max-connections-per-client, endpoint-request-timeout, endpoint-auth-queue, jfr, local-cap, stack-limit, idle-timeout, include, exclude, wakeups, timers, bootstrap, pinned-threshold, pinned-sites, carrier-sampling, deadlock-check, threads-endpoint, fallback"),
                Arguments.of("port=65536", "bad value '65536' for key 'port' in agent argument; allowed: a port number 0-65535 (0 = any free port) or none"),
                Arguments.of("port=-1", "bad value '-1' for key 'port' in agent argument; allowed: a port number 0-65535 (0 = any free port) or none"),
                Arguments.of("port=http", "bad value 'http' for key 'port' in agent argument; allowed: a port number 0-65535 (0 = any free port) or none"),
                Arguments.of("jfr=yes", "bad value 'yes' for key 'jfr' in agent argument; allowed: true or false"),
                Arguments.of("local-cap=63", "bad value '63' for key 'local-cap' in agent argument; allowed: an even number 2-1024"),
                Arguments.of("local-cap=0", "bad value '0' for key 'local-cap' in agent argument; allowed: an even number 2-1024"),
                Arguments.of("stack-limit=512", "bad value '512' for key 'stack-limit' in agent argument; allowed: auto or a size such as 16k, 256k, 1m (bytes)"),
                Arguments.of("stack-limit=lots", "bad value 'lots' for key 'stack-limit' in agent argument; allowed: auto or a size such as 16k, 256k, 1m (bytes)"),
                Arguments.of("stack-limit=999999999999g", "bad value '999999999999g' for key 'stack-limit' in agent argument; allowed: auto or a size such as 16k, 256k, 1m (bytes)"),
                Arguments.of("idle-timeout=60", "bad value '60' for key 'idle-timeout' in agent argument; allowed: a duration such as 500ms, 60s, 5m, 1h"),
                Arguments.of("idle-timeout=0s", "bad value '0s' for key 'idle-timeout' in agent argument; allowed: a duration such as 500ms, 60s, 5m, 1h"),
                Arguments.of("include=com..acme", "bad value 'com..acme' for key 'include' in agent argument; allowed: package prefixes separated by ';' (e.g. com.acme;org.example)"),
                Arguments.of("exclude=", "bad value '' for key 'exclude' in agent argument; allowed: package prefixes separated by ';' (e.g. com.acme.legacy)"),
                Arguments.of("host=", "bad value '' for key 'host' in agent argument; allowed: an IP address or host name to bind the metrics endpoint to"),
                Arguments.of("web-config=", "bad value '' for key 'web-config' in agent argument; allowed: none or the path of a web configuration file (Prometheus exporter-toolkit format: tls_server_config, basic_auth_users)"),
                Arguments.of("web-config=a\u0000b", "bad value 'a\u0000b' for key 'web-config' in agent argument; allowed: none or the path of a web configuration file (Prometheus exporter-toolkit format: tls_server_config, basic_auth_users)"),
                Arguments.of("mode", "bad agent argument 'mode': expected key=value pairs separated by ',' (keys: mode, host, port, web-config, endpoint-max-connections, endpoint-max-connections-per-client, endpoint-request-timeout, endpoint-auth-queue, jfr, local-cap, stack-limit, idle-timeout, include, exclude, wakeups, timers, bootstrap, pinned-threshold, pinned-sites, carrier-sampling, deadlock-check, threads-endpoint, fallback)"),
                Arguments.of("mode=observe,", "bad agent argument '': expected key=value pairs separated by ',' (keys: mode, host, port, web-config, endpoint-max-connections, endpoint-max-connections-per-client, endpoint-request-timeout, endpoint-auth-queue, jfr, local-cap, stack-limit, idle-timeout, include, exclude, wakeups, timers, bootstrap, pinned-threshold, pinned-sites, carrier-sampling, deadlock-check, threads-endpoint, fallback)"),
                Arguments.of("=1", "bad agent argument '=1': expected key=value pairs separated by ',' (keys: mode, host, port, web-config, endpoint-max-connections, endpoint-max-connections-per-client, endpoint-request-timeout, endpoint-auth-queue, jfr, local-cap, stack-limit, idle-timeout, include, exclude, wakeups, timers, bootstrap, pinned-threshold, pinned-sites, carrier-sampling, deadlock-check, threads-endpoint, fallback)"),
                Arguments.of("wakeups=none", "bad value 'none' for key 'wakeups' in agent argument; allowed: reuse or jdk"),
                Arguments.of("wakeups=REUSE", "bad value 'REUSE' for key 'wakeups' in agent argument; allowed: reuse or jdk"),
                Arguments.of("timers=off", "bad value 'off' for key 'timers' in agent argument; allowed: reuse or jdk"),
                Arguments.of("mode=scheduling", "bad value 'scheduling' for key 'mode' in agent argument; allowed: recycle, schedule, observe or off"),
                Arguments.of("bootstrap=unsafe", "bad value 'unsafe' for key 'bootstrap' in agent argument; allowed: define or append"),
                Arguments.of("pinned-threshold=-1ms", "bad value '-1ms' for key 'pinned-threshold' in agent argument; allowed: a duration such as 0ms, 5ms, 20ms (JFR's own default)"),
                Arguments.of("pinned-threshold=20", "bad value '20' for key 'pinned-threshold' in agent argument; allowed: a duration such as 0ms, 5ms, 20ms (JFR's own default)"),
                Arguments.of("pinned-sites=101", "bad value '101' for key 'pinned-sites' in agent argument; allowed: a number of pinning sites to label, 0-100 (the rest count as other)"),
                Arguments.of("pinned-sites=many", "bad value 'many' for key 'pinned-sites' in agent argument; allowed: a number of pinning sites to label, 0-100 (the rest count as other)"),
                Arguments.of("carrier-sampling=0ms", "bad value '0ms' for key 'carrier-sampling' in agent argument; allowed: off or a sampling period such as 10ms, 100ms (1ms-10s)"),
                Arguments.of("carrier-sampling=11s", "bad value '11s' for key 'carrier-sampling' in agent argument; allowed: off or a sampling period such as 10ms, 100ms (1ms-10s)"),
                Arguments.of("carrier-sampling=none", "bad value 'none' for key 'carrier-sampling' in agent argument; allowed: off or a sampling period such as 10ms, 100ms (1ms-10s)"),
                Arguments.of("deadlock-check=99ms", "bad value '99ms' for key 'deadlock-check' in agent argument; allowed: off or a period such as 10s, 1m (100ms-1h)"),
                Arguments.of("deadlock-check=2h", "bad value '2h' for key 'deadlock-check' in agent argument; allowed: off or a period such as 10s, 1m (100ms-1h)"),
                Arguments.of("endpoint-max-connections=0", "bad value '0' for key 'endpoint-max-connections' in agent argument; allowed: an integer 1-1024: open connections to the metrics endpoint at most"),
                Arguments.of("endpoint-max-connections-per-client=1025", "bad value '1025' for key 'endpoint-max-connections-per-client' in agent argument; allowed: an integer 1-1024: open connections from one client address at most (loopback exempt)"),
                Arguments.of("endpoint-request-timeout=5", "bad value '5' for key 'endpoint-request-timeout' in agent argument; allowed: a duration such as 500ms, 5s, 1m: time to send a whole request, TLS handshake included"),
                Arguments.of("endpoint-auth-queue=-1", "bad value '-1' for key 'endpoint-auth-queue' in agent argument; allowed: an integer 1-1024: bcrypt password checks admitted at once; more are answered 503"),
                Arguments.of("fallback=never", "bad value 'never' for key 'fallback' in agent argument; allowed: auto or off"),
                Arguments.of("threads-endpoint=on", "bad value 'on' for key 'threads-endpoint' in agent argument; allowed: true or false (serve /threads, the JDK's thread dump)"),
                Arguments.of("mode=observe,mode=off", "agent argument key 'mode' is given twice"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void rejectsInvalidArgumentsNamingKeyAndAllowedValues(String args, String message) {
        assertThatThrownBy(() -> ConfigParser.parse(args, new Properties()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void systemPropertiesApplyAndAgentArgumentWins() throws Exception {
        Properties props = new Properties();
        props.setProperty("vtrecycler.mode", "observe");
        props.setProperty("vtrecycler.port", "none");
        props.setProperty("vtrecycler.agent.jar", "ignored: dotted names belong to tools");
        props.setProperty("unrelated", "x");
        AgentConfig config = ConfigParser.parse("mode=off", props);
        assertThat(config.mode()).isEqualTo(AgentConfig.Mode.OFF);
        assertThat(config.port()).isEmpty();
    }

    @Test
    void badSystemPropertyNamesTheProperty() {
        Properties props = new Properties();
        props.setProperty("vtrecycler.jfr", "on");
        assertThatThrownBy(() -> ConfigParser.parse(null, props))
                .hasMessage("bad value 'on' for key 'jfr' in -Dvtrecycler.jfr; allowed: true or false");
        Properties typo = new Properties();
        typo.setProperty("vtrecycler.prot", "1");
        assertThatThrownBy(() -> ConfigParser.parse(null, typo))
                .hasMessageStartingWith("unknown key 'prot' in -Dvtrecycler.prot");
    }

    @Test
    void referenceListsEveryKey() {
        assertThat(ConfigParser.reference()).containsKeys("mode", "host", "port", "web-config", "endpoint-max-connections", "endpoint-max-connections-per-client", "endpoint-request-timeout", "endpoint-auth-queue", "jfr", "local-cap",
                "stack-limit", "idle-timeout", "include", "exclude", "wakeups", "timers", "bootstrap", "pinned-threshold", "pinned-sites",
                "carrier-sampling", "deadlock-check", "threads-endpoint", "fallback");
    }
}
