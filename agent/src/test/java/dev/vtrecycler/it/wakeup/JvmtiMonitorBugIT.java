package dev.vtrecycler.it.wakeup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.it.support.ForkedJvm;
import dev.vtrecycler.it.support.JvmtiFlag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 24 point 1: with {@code -XX:-DoJVMTIVirtualThreadTransitions}, virtual threads that block on
 * a monitor while its owner is unmounted hang on JDK 24+, without any agent (a HotSpot bug,
 * docs/jdk-versions.md), and run on JDK 21, whose monitors pin. The agent changes neither outcome
 * (it cannot clear the mark HotSpot leaves), and where the JDK has the bug it says so in one line.
 * {@code -XX:LockingMode=1} (JDK 24 and 25 only) avoids the bug.
 *
 * <p>If a JDK update fixes the bug, the "hangs" rows fail here: then drop the skips in {@link JvmtiFlag}.
 */
class JvmtiMonitorBugIT {
    private static final String WARNING = "[vtrecycler] warning: -XX:-DoJVMTIVirtualThreadTransitions on JDK ";

    @ParameterizedTest(name = "{0}, agent {1}, {2}")
    @CsvSource({
            "TRANSITIONS_ON,  none,    default",
            "TRANSITIONS_ON,  recycle, default",
            "TRANSITIONS_OFF, none,    default",
            "TRANSITIONS_OFF, observe, default",
            "TRANSITIONS_OFF, recycle, default",
            "TRANSITIONS_OFF, none,    legacy-locking",
            "TRANSITIONS_OFF, recycle, legacy-locking"})
    void aMonitorOwnerThatUnmountsHangsOnlyWhereTheJdkHasTheBug(JvmtiFlag jvmti, String agent, String locking) throws Exception {
        boolean legacy = locking.equals("legacy-locking");
        int feature = Runtime.version().feature();
        // LockingMode=1 exists on JDK 21 to 25 only (deprecated in 24)
        Assumptions.assumeTrue(!legacy || (feature >= 24 && feature <= 25), "-XX:LockingMode=1 is the JDK 24-25 workaround");
        List<String> options = new ArrayList<>(jvmti.jvmOptions());
        if (legacy) {
            options.add("-XX:LockingMode=1");
        }
        if (!agent.equals("none")) {
            options.add(ForkedJvm.javaagent("mode=" + agent + ",port=none"));
        }
        boolean hangs = jvmti.jdkHasMonitorBug() && !legacy;
        // without the bug it takes about a second alone; a minute leaves room for a busy machine (pinned
        // monitor hand-offs between two carriers were seen taking 5-20 s under an agent, also on JDK 21)
        String seconds = hangs ? "15" : "60";
        try (ForkedJvm jvm = ForkedJvm.start(options, MonitorOwnerUnmountsMain.class, "50", "20", seconds)) {
            int exit = jvm.waitFor(Duration.ofSeconds(120));
            if (hangs) {
                assertThat(jvm.stdoutLines()).as(jvm.transcript()).containsExactly("HANG");
                assertThat(exit).isEqualTo(3);
            } else {
                assertThat(jvm.stdoutLines()).as(jvm.transcript()).containsExactly("OK 1000");
                assertThat(exit).isZero();
            }
            // the agent names the bug exactly where the JDK has it, and nowhere else
            boolean warns = !agent.equals("none") && hangs;
            assertThat(jvm.stderrLines().stream().filter(l -> l.startsWith(WARNING)).count()).as(jvm.transcript())
                    .isEqualTo(warns ? 1 : 0);
        }
    }
}
