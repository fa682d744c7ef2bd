package dev.vtrecycler.it.recycler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.it.support.ForkedJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's confirmed bugs, each as a program run with the agent (recycle mode, one carrier, so
 * consecutive tasks reuse one thread) and without it: what the program sees must be the same.
 */
class LooksNewIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String ONE_CARRIER = "-Djdk.virtualThreadScheduler.parallelism=1";

    static ForkedJvm run(boolean agent, List<String> extra, Class<?> main) throws Exception {
        List<String> options = new ArrayList<>(extra);
        options.add(ONE_CARRIER);
        if (agent) {
            options.add(ForkedJvm.javaagent("mode=recycle,port=none"));
        }
        try (ForkedJvm jvm = ForkedJvm.start(options, main)) {
            jvm.waitFor(TIMEOUT);
            return jvm;
        }
    }

    static List<String> lines(ForkedJvm jvm, String prefix) {
        return jvm.stdoutLines().stream().filter(l -> l.startsWith(prefix)).toList();
    }

    @Test
    void aReusedThreadLooksLikeTheFreshThreadTheJdkWouldHaveGiven() throws Exception {
        ForkedJvm plain = run(false, List.of(), LooksNewMain.class);
        ForkedJvm recycled = run(true, List.of(), LooksNewMain.class);
        assertThat(plain.stdoutLines()).as(plain.transcript()).contains("DONE").noneMatch(l -> l.startsWith("FAILED"));
        assertThat(recycled.stdoutLines()).as(recycled.transcript()).contains("DONE").noneMatch(l -> l.startsWith("FAILED"));

        List<String> expected = lines(plain, "CASE ");
        assertThat(expected).contains(
                "CASE handler.setByTask aSaw=[] defaultSaw=[B]",
                "CASE handler.builder builderSaw=[B] defaultSaw=[]",
                "CASE ccl.notInherits.round0 system",
                "CASE ccl.inherits.round0 submitter's",
                "CASE join.duration true",
                "CASE join.afterwards alive=false state=TERMINATED",
                "CASE join.fireAndForget true",
                "CASE join.collected returnedBeforeTimeout=true allDead=true",
                "CASE join.running alive=true timedOut=true thenEnded=true",
                "CASE interrupt.afterTaskEnded nextTask=slept");
        assertThat(lines(recycled, "CASE ")).as(recycled.transcript()).isEqualTo(expected);

        // The comparison means something only if the agent run reused the threads.
        assertThat(lines(recycled, "REUSE ")).as(recycled.transcript()).isNotEmpty().allMatch(l -> l.endsWith(" true"));
        // One raw interrupt through a saved Thread; Future.cancel(true) is a handle, not counted.
        assertThat(lines(recycled, "STAT foreignInterrupts")).containsExactly("STAT foreignInterrupts 1");
        assertThat(recycled.agentLines()).as(recycled.transcript()).noneMatch(l -> l.contains("warning") || l.contains("failed"));
    }

    @Test
    void aRunawayRecursionStillEndsInStackOverflowError() throws Exception {
        // 256 MB: without the agent the recursion overflows its stack with ~11,000 queued threads.
        List<String> heap = List.of("-Xmx256m");
        ForkedJvm plain = run(false, heap, RunawayRecursionMain.class);
        ForkedJvm recycled = run(true, heap, RunawayRecursionMain.class);
        List<String> expected = List.of("CASE runaway StackOverflowError", "CASE afterwards 1000 tasks ran");
        assertThat(lines(plain, "CASE ")).as(plain.transcript()).isEqualTo(expected);
        assertThat(lines(recycled, "CASE ")).as(recycled.transcript()).isEqualTo(expected);
        assertThat(lines(recycled, "STAT tasks ")).as("the agent routed the starts").noneMatch(l -> l.equals("STAT tasks 0"));
    }
}
