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
}
