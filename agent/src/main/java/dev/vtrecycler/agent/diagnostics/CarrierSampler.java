package dev.vtrecycler.agent.diagnostics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Carrier utilisation by sampling: every period a platform daemon thread looks at each carrier of
 * the virtual-thread scheduler and counts whether a virtual thread is mounted on it. Mounted means
 * the carrier's {@code Thread.cont} (the continuation it runs; set by {@code Continuation.run}
 * while a virtual thread is mounted, reset when it unmounts) is non-null: a pinned thread that
 * waits on its carrier counts as mounted, a parked one that has unmounted does not.
 *
 * <p>Nothing runs on mount paths: the hooks pay no clock read and no counter for this. The cost is
 * the sampler's own wake-ups (one per period) plus one field read per carrier.
 *
 * <p>Exported as counters, so that {@code rate()} gives the fraction over any window:
 * {@code vtrecycler_carrier_samples_total} (sampling rounds) and
 * {@code vtrecycler_carrier_mounted_samples_total{carrier}} (rounds that found this carrier busy);
 * the label is the carrier's {@link ForkJoinWorkerThread#getPoolIndex() pool index}, which the pool
 * reuses, so the label set stays bounded by the pool's size (indices from {@value #MAX_LABELLED}
 * share {@code carrier="other"}).
 *
 * <p>Why the race is benign: {@code cont} is written by the carrier and read here with an opaque
 * load; a sample that misses a mount or unmount by a few nanoseconds is one sample, the same error
 * any sampling profiler accepts. Only the sampler thread writes the counters.
 */
public final class CarrierSampler {
    static final int MAX_LABELLED = 256;
    private static final String CARRIER_CLASS = "jdk.internal.misc.CarrierThread";
    private static final long DISCOVERY_NANOS = 1_000_000_000L;

    private final VarHandle cont;
    private final long periodNanos;
    private final MeterRegistry registry;
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLongArray mounted = new AtomicLongArray(MAX_LABELLED + 1);
    private final boolean[] registered = new boolean[MAX_LABELLED + 1]; // sampler thread only
    private Thread[] carriers = new Thread[0];
    private int[] slots = new int[0];

    private CarrierSampler(VarHandle cont, Duration period, MeterRegistry registry) {
        this.cont = cont;
        this.periodNanos = period.toNanos();
        this.registry = registry;
    }

    /** Starts sampling; throws ReflectiveOperationException when this JDK has no readable {@code Thread.cont}. */
    public static CarrierSampler start(Duration period, MeterRegistry registry) throws ReflectiveOperationException {
        Class<?> continuation = Class.forName("jdk.internal.vm.Continuation", false, null);
        VarHandle cont = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                .findVarHandle(Thread.class, "cont", continuation);
        CarrierSampler sampler = new CarrierSampler(cont, period, registry);
        FunctionCounter.builder("vtrecycler.carrier.samples", sampler.rounds, AtomicLong::get)
                .description("Sampling rounds of the carrier-utilisation sampler; each round looks at every carrier once")
                .register(registry);
        Thread thread = new Thread(sampler::run, "vtrecycler-carrier-sampler"); // platform: never sample ourselves
        thread.setDaemon(true);
        thread.start();
        return sampler;
    }

    private void run() {
        long nextDiscovery = 0;
        while (true) {
            long now = System.nanoTime();
            if (now - nextDiscovery >= 0) {
                discover();
                nextDiscovery = now + DISCOVERY_NANOS;
            }
            sample();
            LockSupport.parkNanos(periodNanos);
        }
    }

    /** One round: for each known carrier, is a virtual thread mounted? */
    void sample() {
        Thread[] known = carriers;
        for (int i = 0; i < known.length; i++) {
            if (cont.getOpaque(known[i]) != null) {
                int slot = slots[i];
                mounted.lazySet(slot, mounted.get(slot) + 1); // single writer
            }
        }
        rounds.lazySet(rounds.get() + 1);
    }

    /** Finds the live carriers (they come and go with the pool's keep-alive) and registers a counter per new index. */
    private void discover() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() + 32];
        int n = root.enumerate(all, true);
        List<Thread> found = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (all[i].getClass().getName().equals(CARRIER_CLASS) && all[i].isAlive()) {
                found.add(all[i]);
            }
        }
        int[] newSlots = new int[found.size()];
        for (int i = 0; i < newSlots.length; i++) {
            int index = ((ForkJoinWorkerThread) found.get(i)).getPoolIndex();
            int slot = index >= 0 && index < MAX_LABELLED ? index : MAX_LABELLED;
            newSlots[i] = slot;
            if (!registered[slot]) {
                registered[slot] = true;
                FunctionCounter.builder("vtrecycler.carrier.mounted.samples", mounted, a -> a.get(slot))
                        .description("Sampling rounds that found a virtual thread mounted on this carrier (label: the"
                                + " carrier's pool index); divided by vtrecycler_carrier_samples_total it is the carrier's utilisation")
                        .tag("carrier", slot == MAX_LABELLED ? "other" : Integer.toString(slot))
                        .register(registry);
            }
        }
        slots = newSlots; // read only by this thread: no publication needed
        carriers = found.toArray(new Thread[0]);
    }
}
