package dev.vtrecycler.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JvmtiTransitionsTest {

    /** flag value, UnlockExperimentalVMOptions value ("-" = not readable), JDK feature, expected. */
    @ParameterizedTest(name = "flag={0} unlock={1} jdk={2}: {3}")
    @CsvSource({
            "true,  true,  25, on",
            "false, true,  25, off",
            "false, true,  21, off",
            "-,     false, 25, on",
            "-,     false, 21, on",
            "-,     false, 26, unknown",
            "-,     true,  25, unknown",
            "-,     -,     25, unknown"})
    void readsTheFlagOrItsDefaultWhereHidden(String flag, String unlock, int feature, String expected) {
        Map<String, String> options = new HashMap<>();
        if (!flag.equals("-")) {
            options.put(JvmtiTransitions.FLAG, flag);
        }
        if (!unlock.equals("-")) {
            options.put("UnlockExperimentalVMOptions", unlock);
        }
        assertThat(JvmtiTransitions.state(name -> Optional.ofNullable(options.get(name)), feature)).isEqualTo(expected);
    }

    @Test
    void thisJvmHasTheFlagHiddenAtItsDefault() {
        // surefire's JVM does not unlock experimental options: the flag is hidden, at its default
        assertThat(JvmtiTransitions.state()).isEqualTo(Runtime.version().feature() <= 25 ? "on" : "unknown");
    }

    /** state, LockingMode ("-" = absent, as on JDK 26+), JDK feature, whether the deadlock warning is printed. */
    @ParameterizedTest(name = "transitions {0}, LockingMode {1}, jdk {2}: warn {3}")
    @CsvSource({
            "off,     2, 25, true",
            "off,     -, 24, true",
            "off,     1, 25, false",
            "off,     -, 21, false",
            "on,      2, 25, false",
            "unknown, -, 26, false"})
    void warnsOfTheMonitorDeadlockOnlyWhereHotSpotHasIt(String state, String lockingMode, int feature, boolean warns) {
        Optional<String> mode = lockingMode.equals("-") ? Optional.empty() : Optional.of(lockingMode);
        String warning = JvmtiTransitions.monitorDeadlockWarning(state, mode, feature);
        if (warns) {
            assertThat(warning).startsWith("warning: -XX:-DoJVMTIVirtualThreadTransitions on JDK " + feature)
                    .contains("JDK bug").contains("docs/jdk-versions.md");
        } else {
            assertThat(warning).isNull();
        }
    }
}
