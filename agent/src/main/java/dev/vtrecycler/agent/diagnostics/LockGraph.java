package dev.vtrecycler.agent.diagnostics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who waits for whom: one edge per blocked thread, from the thread to the owner of the lock it
 * waits for, and the cycles among them. A blocked thread waits for one lock at a time, so every
 * thread has at most one outgoing edge and each cycle is found by walking forward from its members.
 */
final class LockGraph {

    /** A thread, as the graph names it. */
    record Node(long tid, String name, boolean virtual) {
        String describe() {
            return "#" + tid + " \"" + name + "\"" + (virtual ? " virtual" : " platform");
        }
    }

    /** {@code waiter} waits for {@code lock} (an identity string, class@hash), which {@code owner} holds. */
    record Edge(Node waiter, String lock, long owner) {}

    /** A cycle, rotated to start at its smallest thread id so that the same cycle always has the same key. */
    record Cycle(List<Edge> edges) {
        String key() {
            StringBuilder sb = new StringBuilder();
            for (Edge e : edges) {
                sb.append(e.waiter().tid()).append('>').append(e.lock()).append('>').append(e.owner()).append(';');
            }
            return sb.toString();
        }

        long virtualThreads() {
            return edges.stream().filter(e -> e.waiter().virtual()).count();
        }

        /** One line per thread: who waits for what, held by whom. */
        List<String> describe() {
            Map<Long, Node> byTid = new HashMap<>();
            edges.forEach(e -> byTid.put(e.waiter().tid(), e.waiter()));
            List<String> lines = new ArrayList<>();
            for (Edge e : edges) {
                lines.add(e.waiter().describe() + " waits for <" + e.lock() + "> held by " + byTid.get(e.owner()).describe());
            }
            return lines;
        }
    }

    /** The cycles among {@code edges}; a waiter with two edges keeps the first (it cannot wait for two locks). */
    static List<Cycle> cycles(List<Edge> edges) {
        Map<Long, Edge> next = new LinkedHashMap<>();
        for (Edge e : edges) {
            next.putIfAbsent(e.waiter().tid(), e);
        }
        List<Cycle> cycles = new ArrayList<>();
        Set<Long> done = new HashSet<>();
        for (Long start : next.keySet()) {
            Map<Long, Integer> onPath = new HashMap<>();
            List<Edge> path = new ArrayList<>();
            Long at = start;
            while (at != null && !done.contains(at) && !onPath.containsKey(at)) {
                Edge e = next.get(at);
                if (e == null) {
                    break;
                }
                onPath.put(at, path.size());
                path.add(e);
                at = e.owner();
            }
            if (at != null && onPath.containsKey(at)) {
                cycles.add(canonical(path.subList(onPath.get(at), path.size())));
            }
            done.addAll(onPath.keySet());
        }
        return cycles;
    }

    private static Cycle canonical(List<Edge> loop) {
        int min = 0;
        for (int i = 1; i < loop.size(); i++) {
            if (loop.get(i).waiter().tid() < loop.get(min).waiter().tid()) {
                min = i;
            }
        }
        List<Edge> rotated = new ArrayList<>(loop.subList(min, loop.size()));
        rotated.addAll(loop.subList(0, min));
        return new Cycle(List.copyOf(rotated));
    }

    private LockGraph() {}
}
