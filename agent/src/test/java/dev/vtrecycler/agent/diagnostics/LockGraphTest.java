package dev.vtrecycler.agent.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.agent.diagnostics.LockGraph.Edge;
import dev.vtrecycler.agent.diagnostics.LockGraph.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LockGraphTest {

    /** Edges written "waiter>owner", threads with odd ids virtual; expected cycles as "tid,tid,..;..." from the smallest id. */
    static Stream<Arguments> graphs() {
        return Stream.of(
                Arguments.of("", ""),
                Arguments.of("1>2", ""),
                Arguments.of("1>2 2>3", ""),
                Arguments.of("1>2 2>1", "1,2"),
                Arguments.of("2>1 1>2", "1,2"),
                Arguments.of("3>1 1>2 2>3", "1,2,3"),
                Arguments.of("1>2 2>3 3>2", "2,3"),          // 1 waits on a cycle but is not in it
                Arguments.of("5>1 1>2 2>1 4>5", "1,2"),
                Arguments.of("1>2 2>1 3>4 4>3", "1,2;3,4"),
                Arguments.of("1>2 2>1 1>3", "1,2"),          // a second edge of a waiter is ignored
                Arguments.of("1>9", ""));                   // owner not blocked
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("graphs")
    void findsExactlyTheCycles(String graph, String expected) {
        List<LockGraph.Cycle> cycles = LockGraph.cycles(edges(graph));
        List<String> found = new ArrayList<>();
        for (LockGraph.Cycle c : cycles) {
            found.add(String.join(",", c.edges().stream().map(e -> Long.toString(e.waiter().tid())).toList()));
        }
        Collections.sort(found);
        assertThat(String.join(";", found)).isEqualTo(expected);
    }

    @Test
    void aCycleHasTheSameKeyWhereverItIsEntered() {
        String a = LockGraph.cycles(edges("1>2 2>3 3>1")).get(0).key();
        String b = LockGraph.cycles(edges("3>1 2>3 1>2")).get(0).key();
        assertThat(a).isEqualTo(b);
        assertThat(LockGraph.cycles(edges("1>2 2>3 3>1")).get(0).virtualThreads()).isEqualTo(2);
    }

    @Test
    void describesWhoWaitsForWhom() {
        assertThat(LockGraph.cycles(edges("1>2 2>1")).get(0).describe()).containsExactly(
                "#1 \"t1\" virtual waits for <lock-of-2> held by #2 \"t2\" platform",
                "#2 \"t2\" platform waits for <lock-of-1> held by #1 \"t1\" virtual");
    }

    /** Random functional graphs: every reported cycle is closed and its members all distinct; no thread is in two. */
    @Test
    void randomGraphsGiveClosedDisjointCycles() {
        Random random = new Random(22);
        for (int round = 0; round < 2_000; round++) {
            int n = 1 + random.nextInt(12);
            List<Edge> edges = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                if (random.nextInt(4) > 0) {
                    edges.add(edge(i, 1 + random.nextInt(n + 2)));
                }
            }
            edges.removeIf(e -> e.waiter().tid() == e.owner());
            List<Long> members = new ArrayList<>();
            for (LockGraph.Cycle c : LockGraph.cycles(edges)) {
                List<Edge> es = c.edges();
                for (int i = 0; i < es.size(); i++) {
                    assertThat(es.get(i).owner()).isEqualTo(es.get((i + 1) % es.size()).waiter().tid());
                    members.add(es.get(i).waiter().tid());
                }
            }
            assertThat(members).doesNotHaveDuplicates();
            // every thread on a closed walk is reported
            for (Edge e : edges) {
                if (onCycle(edges, e.waiter().tid())) {
                    assertThat(members).contains(e.waiter().tid());
                }
            }
        }
    }

    private static boolean onCycle(List<Edge> edges, long start) {
        long at = start;
        for (int step = 0; step <= edges.size(); step++) {
            long from = at;
            Edge next = edges.stream().filter(e -> e.waiter().tid() == from).findFirst().orElse(null);
            if (next == null) {
                return false;
            }
            at = next.owner();
            if (at == start) {
                return true;
            }
        }
        return false;
    }

    private static List<Edge> edges(String graph) {
        List<Edge> edges = new ArrayList<>();
        for (String pair : graph.split(" ")) {
            if (!pair.isEmpty()) {
                String[] p = pair.split(">");
                edges.add(edge(Long.parseLong(p[0]), Long.parseLong(p[1])));
            }
        }
        return edges;
    }

    private static Edge edge(long waiter, long owner) {
        return new Edge(new Node(waiter, "t" + waiter, waiter % 2 == 1), "lock-of-" + owner, owner);
    }
}
