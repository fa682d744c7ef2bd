package dev.vtrecycler.demo.ab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's command gains taskset only when pinned; unpinned, this JVM is left alone. */
class CpuSplitTest {
    private static final List<String> SERVER = List.of("java", "-Xmx48m", "-cp", "demo.jar", "Main", "serve");

    @Test
    void aPinnedServerStartsUnderTaskset() {
        assertThat(new CpuSplit("1", "0").serverCommand(SERVER))
                .containsExactly("taskset", "-c", "1", "java", "-Xmx48m", "-cp", "demo.jar", "Main", "serve");
    }

    @Test
    void unpinnedTheCommandIsUnchangedAndNothingIsPinned() throws Exception {
        assertThat(CpuSplit.NONE.serverCommand(SERVER)).isEqualTo(SERVER);
        int before = Runtime.getRuntime().availableProcessors();
        CpuSplit.NONE.pinThisJvm();
        assertThat(Runtime.getRuntime().availableProcessors()).isEqualTo(before);
        assertThat(CpuSplit.NONE.describe()).isEqualTo("server and load generator unpinned");
    }

    @Test
    void theHeaderSaysWhereEachRuns() {
        assertThat(new CpuSplit("2-3", "0-1").describe())
                .isEqualTo("server on CPU(s) 2-3, load generator on CPU(s) 0-1");
    }
}
