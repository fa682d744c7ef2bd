package dev.vtrecycler.demo.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ChildOutputTest {

    @Test
    void emptyTailSaysWhatTheCallerWants() {
        ChildOutput.Tail tail = new ChildOutput.Tail(3);
        assertThat(tail.describe(" (stderr empty)")).isEqualTo(" (stderr empty)");
        assertThat(tail.describe("")).isEmpty();
    }

    @Test
    void tailKeepsTheLastLinesIndented() {
        ChildOutput.Tail tail = new ChildOutput.Tail(2);
        tail.add("first");
        tail.add("second");
        tail.add("third");
        assertThat(tail.describe("")).isEqualTo("; last stderr lines:\n    | second\n    | third");
    }

    @Test
    void pumpHandsOverEveryLineThenEnds() throws InterruptedException {
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = ChildOutput.pump(new ByteArrayInputStream("a\nb\n\nc".getBytes(StandardCharsets.UTF_8)),
                lines::add, "child-output-test");
        reader.join(10_000);
        assertThat(reader.isAlive()).isFalse();
        assertThat(reader.isDaemon()).isTrue();
        assertThat(lines).containsExactly("a", "b", "", "c");
    }
}
