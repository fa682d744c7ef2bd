package dev.vtrecycler.agent.routing;

import dev.vtrecycler.agent.instrument.NamedOnlyType;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The persistent Spring transformer sees every class the application loads: what it ignores must
 * be decided without parsing the class (Byte Buddy's default ignore read every class's modifiers, and
 * C2 then spent seconds compiling the parser during a server's warm-up).
 */
class RoutingIgnoreTest {
    @ParameterizedTest(name = "{0}: ignored={1}")
    @CsvSource({
            "org.springframework.core.task.SimpleAsyncTaskExecutor, false",
            "org.springframework.core.task.SimpleAsyncTaskExecutor$ConcurrencyThrottleAdapter, true",
            "org.springframework.web.servlet.DispatcherServlet, true",
            "com.example.Service$$SpringCGLIB$$0, true",
            "com.example.Lambda$$Lambda/0x0000000800c01000, true",
    })
    void decidesByNameAlone(String name, boolean ignored) {
        ElementMatcher<TypeDescription> ignore = RoutingInstaller.everyTypeButSpringsExecutor();
        assertThat(ignore.matches(new NamedOnlyType(name))).isEqualTo(ignored);
    }
}
