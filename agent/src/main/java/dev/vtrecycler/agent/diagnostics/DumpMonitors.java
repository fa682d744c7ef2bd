package dev.vtrecycler.agent.diagnostics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Monitor edges from the JDK's JSON thread dump ({@code HotSpotDiagnosticMXBean.dumpThreads},
 * JDK 25 format): a {@code BLOCKED} thread's {@code blockedOn} object, and the thread whose
 * {@code monitorsOwned} lists the same object. This is the only public source that names the
 * monitors a virtual thread holds or waits for: {@code ThreadMXBean} has no {@code ThreadInfo} for
 * virtual threads, and on JDK 25 a platform thread blocked on a monitor that a virtual thread
 * holds gets a {@code ThreadInfo} without lock or owner.
 *
 * <p>Objects are matched by identity string (class@identity hash), as the dump writes them; two
 * live objects of one class with the same identity hash would be confused (rare, and then only
 * while both are locked at once).
 */
final class DumpMonitors {

    /** Edges for every thread the dump shows BLOCKED on a monitor whose owner it also shows. */
    @SuppressWarnings("unchecked")
    static List<LockGraph.Edge> edges(String json) {
        Map<String, Object> root = (Map<String, Object>) Json.parse(json);
        Map<String, Object> dump = (Map<String, Object>) root.get("threadDump");
        Map<String, Long> ownerOf = new HashMap<>();
        List<Object[]> blocked = new ArrayList<>(); // {node, object}
        for (Object c : list(dump.get("threadContainers"))) {
            for (Object t : list(((Map<String, Object>) c).get("threads"))) {
                Map<String, Object> thread = (Map<String, Object>) t;
                long tid = Long.parseLong(String.valueOf(thread.get("tid")));
                for (Object m : list(thread.get("monitorsOwned"))) {
                    for (Object lock : list(((Map<String, Object>) m).get("locks"))) {
                        if (lock != null) {
                            ownerOf.put((String) lock, tid);
                        }
                    }
                }
                if ("BLOCKED".equals(thread.get("state")) && thread.get("blockedOn") instanceof String object) {
                    LockGraph.Node node = new LockGraph.Node(tid, String.valueOf(thread.get("name")),
                            Boolean.TRUE.equals(thread.get("virtual")));
                    blocked.add(new Object[] {node, object});
                }
            }
        }
        List<LockGraph.Edge> edges = new ArrayList<>();
        for (Object[] b : blocked) {
            LockGraph.Node node = (LockGraph.Node) b[0];
            Long owner = ownerOf.get((String) b[1]);
            if (owner != null && owner != node.tid()) {
                edges.add(new LockGraph.Edge(node, (String) b[1], owner));
            }
        }
        return edges;
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }

    private DumpMonitors() {}
}
