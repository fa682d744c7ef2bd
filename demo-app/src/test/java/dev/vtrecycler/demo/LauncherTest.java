package dev.vtrecycler.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LauncherTest {
    static Stream<Arguments> versions() {
        return Stream.of(
                Arguments.of("1.8", 8, true),
                Arguments.of("11", 11, true),
                Arguments.of("17", 17, true),
                Arguments.of("20", 20, true),
                Arguments.of("21", 21, false),
                Arguments.of("25", 25, false),
                Arguments.of("", 0, true),
                Arguments.of("x", 0, true));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("versions")
    void refusesEveryJdkBelow21WithOneLineThatSaysWhatToDo(String spec, int feature, boolean refused) {
        assertThat(Launcher.feature(spec)).isEqualTo(feature);
        String line = Launcher.refusal(spec, spec + ".0.1", "/opt/jdk");
        if (!refused) {
            assertThat(line).isNull();
            return;
        }
        assertThat(line).startsWith("vtrecycler-demo needs JDK 21 or newer; this is Java " + spec + ".0.1 (/opt/jdk). ")
                .contains("/bin/java -jar vtrecycler-demo.jar").contains("$JAVA_HOME/bin/java").doesNotContain("\n");
    }
}
