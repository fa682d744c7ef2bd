package dev.vtrecycler.agent.routing;

import dev.vtrecycler.bootstrap.routing.RoutingStats;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Keeps {@code vtrecycler_routed_call_sites} equal to the sites rewritten in classes that can still
 * run: per class loader, the sites of each rewritten class (so a class transformed again, by
 * retransformation, replaces its count instead of adding to it); when a loader is collected, its
 * sites are subtracted and its entry is gone. So class-loader churn (redeploys) neither grows this
 * table nor keeps any loader alive: loaders are held weakly, and the per-loader record is itself the
 * weak reference that the collector enqueues.
 *
 * <p>One lock: taken only for classes that had a site rewritten, which are few.
 */
final class RewrittenSites {
    /** One loader's rewritten classes; enqueued once the loader is collected. */
    private static final class LoaderSites extends WeakReference<ClassLoader> {
        final Map<String, int[]> byClass = new HashMap<>();
        final long[] totals = new long[RoutingStats.KIND_NAMES.length];

        LoaderSites(ClassLoader loader, ReferenceQueue<ClassLoader> queue) {
            super(loader, queue);
        }
    }

    private final ReferenceQueue<ClassLoader> collected = new ReferenceQueue<>();
    /** Identity keys (ClassLoader does not override equals); values only weakly refer to their key. */
    private final Map<ClassLoader, LoaderSites> byLoader = new WeakHashMap<>();

    /** Records that {@code className} of {@code loader} now holds {@code sitesByKind} rewritten sites. */
    synchronized void record(ClassLoader loader, String className, int[] sitesByKind) {
        expungeCollected();
        LoaderSites sites = byLoader.computeIfAbsent(loader, l -> new LoaderSites(l, collected));
        int[] before = sites.byClass.put(className, sitesByKind.clone());
        for (int kind = 0; kind < sitesByKind.length; kind++) {
            int delta = sitesByKind[kind] - (before == null ? 0 : before[kind]);
            sites.totals[kind] += delta;
            RoutingStats.callSitesRewritten(kind, delta);
        }
    }

    /**
     * Subtracts the sites of collected loaders. Cheap when there are none (one read), so the
     * transformer runs it for every class. No lock needed: a collected loader's record is no longer
     * written (record needs the loader), and the queue hands each reference out once.
     */
    void expungeCollected() {
        for (Object ref; (ref = collected.poll()) != null; ) {
            long[] totals = ((LoaderSites) ref).totals;
            for (int kind = 0; kind < totals.length; kind++) {
                RoutingStats.callSitesRewritten(kind, -totals[kind]);
            }
        }
    }

    /** Loaders with rewritten classes that are still tracked (test hook: goes back to 0 after churn). */
    synchronized int trackedLoaders() {
        expungeCollected();
        return byLoader.size();
    }
}
