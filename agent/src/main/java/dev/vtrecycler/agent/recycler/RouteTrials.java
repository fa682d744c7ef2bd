package dev.vtrecycler.agent.recycler;

import java.util.Arrays;

/**
 * The route governor's decisions, from nothing but epochs of (process CPU time, bytes allocated,
 * tasks per route): pure logic, no clock and no threads, so unit tests can feed it any history.
 *
 * <p>What is compared, per probe, as recycled/fresh: <b>cost</b>, the process CPU per routed task,
 * the one figure that includes everything a path costs (the hand-off, the extra freeze and thaw of
 * a pooled thread, the thread a fresh start allocates and the GC work that allocation causes
 * later); and <b>speed</b>, routed tasks per epoch. Below saturation (a load that arrives at its
 * own rate) speed is the same on both paths and cost is what the service pays per request. At
 * saturation speed is throughput, and it is not the inverse of the server's CPU per task when the
 * server shares the machine (a load generator, a neighbour) or waits for something else: a path
 * can take more CPU per task and still serve more tasks, because it waits less (Spring
 * {@code @Async}, quiet machine: recycled 1.08x the CPU per task of fresh, and 36% more requests
 * per second). So speed decides when it differs beyond its noise; otherwise cost does; and where
 * neither does, <b>bytes</b>, the process's allocation per routed task: a route recycles on a tie
 * only where that saves at least {@link #BYTES_WORTH_RECYCLING}'s share of its bytes. Per-task
 * clocks are not needed, and the hot path pays one striped increment.
 *
 * <p>How: routes take their decided path. Now and then one route is probed: for one epoch it takes
 * the other path, and its cost ratio is that epoch's CPU per task against the mean of the epochs
 * just before and just after (which cancels slow drift in the load), corrected for the route's
 * share of all routed tasks (only that route changed). The ratio is kept as recycled/fresh
 * whichever path was probed. A route switches when the median of its last {@value #RING} ratios is
 * beyond its margin on the other side of 1 (so one noisy epoch never switches it, and a switch back
 * needs a majority of new evidence), and a route on fresh threads whose evidence is within both
 * margins goes back to recycling. A margin is at least {@link Settings#margin}, and at least the
 * scatter of the ratios themselves ({@link #scatterMargin}: noisy epochs decide nothing); speed's is
 * also at least its counting noise, {@value #SPEED_NOISE_SIGMAS} / sqrt(tasks per epoch), so a light
 * load's random arrivals decide nothing. A probe that confirms the decision doubles the
 * time to the route's next probe (up to {@link Settings#maxProbeInterval} epochs), so a route that
 * keeps losing on one path pays for it in ever fewer epochs; any switch resets the interval.
 *
 * <p>Warm-up epochs are not measured. An epoch with fewer than {@link Settings#minTasks} routed
 * tasks is merged with the following ones (at most {@value #MAX_MERGED}) into one sample, so a
 * route whose throughput collapsed on one path is still measured; a stretch that stays below it is
 * a pause: it is dropped, and so is a probe in flight and the sample that ends the pause (it holds
 * part idle, part load). Probe intervals count samples, not epochs, so a service loaded in bursts
 * is probed per unit of load, not per second of idling. A route with less than {@link Settings#minShare} of
 * the tasks is not probed: its effect on the process's CPU would drown in noise.
 */
final class RouteTrials {
    static final int RING = 5;
    /** At most this many quiet epochs are merged into one sample (2 s at the default epoch). */
    static final int MAX_MERGED = 8;
    /**
     * Speed's margin in units of 1/sqrt(tasks per epoch). A count of N random arrivals varies by
     * sqrt(N), 1/sqrt(N) relative; a probe against the mean of two neighbours by 1.22/sqrt(N); the
     * median of five such ratios by about 0.68/sqrt(N). 3/sqrt(N) is over four of those, because a
     * decision is re-taken at every probe (2/sqrt(N) switched once in 3,000 simulated epochs of
     * light random load). At saturation epochs hold thousands of tasks: 10,000 give 3%.
     */
    static final double SPEED_NOISE_SIGMAS = 3.0;
    /**
     * A route's evidence is forgotten when the tasks per epoch on its decided path move this factor
     * away from the rate it was gathered at: 2,000/s and saturation are different services as far as
     * recycling goes (equal speed and 1% dearer at one, 20% slower at the other), and five probes of
     * the old load in the median, backed off to 48 epochs apart, would keep the old decision for half
     * a minute. 1.5 is beyond a light load's counting noise (4.5% at 500 tasks per epoch) and beyond
     * the gap between the paths themselves (Spring {@code @Async}'s 26%), so a switch alone never
     * looks like a new load.
     */
    static final double LOAD_CHANGE_FACTOR = 1.5;
    /**
     * Baseline samples in a row, beyond {@link #LOAD_CHANGE_FACTOR} on the same side, that make a new
     * load. One is not enough: the sample in which a burst of load ends is partly idle, and a service
     * loaded in bursts (or {@code service-ab --interleave}, 2 s on and 4 s off) forgot its evidence at
     * every burst and ran 25% of its tasks on fresh threads re-probing the same load.
     */
    static final int LOAD_CHANGE_SAMPLES = 2;
    /**
     * A probe is measured against the mean of the samples just before and just after it, which is a
     * reference only if they agree: within this factor. The epoch in which a burst of load ends is
     * partly idle; as a probe's epoch after, it made the probe look 30-50% faster or slower than it
     * was (speed ratios of 0.62 and 1.50 among 0.95-1.06 in a traced Spring {@code @Async} run), and
     * such ratios widen the scatter margin until no difference decides anything. 1.25 is four
     * standard deviations of two Poisson counts at 500 tasks per epoch.
     */
    static final double NEIGHBOURS_AGREE = 1.25;
    /**
     * On a tie a route recycles only when its bytes per task recycled/fresh is at most this (beyond
     * the ratios' scatter, {@link #savesTooFewBytes}): a saving of 15% or more. Recycling's price is not always inside a probe's noise: beside a
     * CPU-bound neighbour the JDK {@code HttpServer} served 0.92x of {@code mode=observe} recycled,
     * for 7% of its bytes (a pooled thread saves about 1 kB of a 13.7 kB request), while the routes
     * that save 26-42% (Tomcat, Spring Boot, Jetty: 0.58-0.74 of the bytes) are what recycling is
     * for. Below that the saving is not worth a risk the probes cannot rule out. Not measured (a
     * JVM that does not count allocation): the route's tie path as before.
     */
    static final double BYTES_WORTH_RECYCLING = 0.85;
    /** {@link #epochEnded}'s {@code bytes} when the JVM does not count allocation. */
    static final long BYTES_UNMEASURED = -1;

    record Settings(int warmupEpochs, long minTasks, double minShare, double margin, int firstProbeInterval,
                    int maxProbeInterval) {
        static Settings defaults() {
            return new Settings(12, 200, 0.25, 0.02, 3, 48);
        }
    }

    private enum Phase { BASELINE, PROBE, AFTER }

    private final Settings settings;
    private final int routes;
    /** Where each probe's verdict is described, or null (the default): see {@link #traceTo}. */
    private java.util.function.Consumer<String> trace;
    private String[] routeNames;
    private final boolean[] recycleDecided;
    /** Per route: the path it starts on and takes when the evidence decides nothing. */
    private final boolean[] recycleOnTie;
    private final double[][] ratios;
    private final double[][] speeds;
    /** Per route: bytes per task recycled/fresh by probe; NaN where an epoch's bytes were not measured. */
    private final double[][] bytes;
    private final int[] ratioCount;
    private final int[] probeInterval;
    private final long[] nextProbeEpoch;
    private final long[] switches;
    private final long[] probes;
    /** Tasks per epoch on the decided path when the route's evidence was gathered; 0 without evidence. */
    private final double[] evidenceRate;
    private final long[] loadChanges;
    private final long[] droppedProbes;
    /** Per route: consecutive baselines above (positive) or below (negative) the evidence's rate. */
    private final int[] loadChangeRun;

    private long epoch;
    /** Measured samples so far: the clock of the probe schedule. */
    private long samples;
    /** The last stretch was a pause: the next sample straddles its end and is not used. */
    private boolean resuming;
    private Phase phase = Phase.BASELINE;
    private int probeRoute = -1;
    private double before;
    private double beforeRate;
    private double beforeBytes;
    private double probeCost;
    private double probeBytes;
    private double probeRate;
    private double probeShare;
    private int roundRobin;
    private long pendingCpu;
    /** Bytes allocated in the pending epochs; negative once one of them was not measured. */
    private long pendingBytes;
    private final long[] pendingTasks;
    private int pendingEpochs;

    /** Every route starts on recycled threads and returns to them on a tie. */
    RouteTrials(int routes, Settings settings) {
        this(routes, settings, new boolean[0]);
    }

    /**
     * As {@link #RouteTrials(int, Settings)}, but the routes listed in {@code freshOnTie} start on
     * fresh threads and stay there while the evidence decides nothing: recycling them has to win.
     */
    RouteTrials(int routes, Settings settings, boolean[] freshOnTie) {
        this.settings = settings;
        this.routes = routes;
        this.recycleOnTie = new boolean[routes];
        for (int r = 0; r < routes; r++) {
            recycleOnTie[r] = r >= freshOnTie.length || !freshOnTie[r];
        }
        this.recycleDecided = recycleOnTie.clone();
        this.ratios = new double[routes][RING];
        this.speeds = new double[routes][RING];
        this.bytes = new double[routes][RING];
        this.ratioCount = new int[routes];
        this.probeInterval = new int[routes];
        Arrays.fill(probeInterval, settings.firstProbeInterval());
        this.nextProbeEpoch = new long[routes];
        this.switches = new long[routes];
        this.probes = new long[routes];
        this.pendingTasks = new long[routes];
        this.evidenceRate = new double[routes];
        this.loadChanges = new long[routes];
        this.droppedProbes = new long[routes];
        this.loadChangeRun = new int[routes];
    }

    /** Describes every probe's ratios and the decision after it to {@code sink} (a diagnostic, off by default). */
    void traceTo(java.util.function.Consumer<String> sink, String[] routeNames) {
        this.trace = sink;
        this.routeNames = routeNames.clone();
    }

    /** As {@link #epochEnded(long, long, long[])} in a JVM that does not count allocated bytes. */
    void epochEnded(long cpuNanos, long[] tasks) {
        epochEnded(cpuNanos, BYTES_UNMEASURED, tasks);
    }

    /**
     * One epoch ended: the process used {@code cpuNanos} of CPU and allocated {@code bytes} (or
     * {@link #BYTES_UNMEASURED}) while routes ran {@code tasks[r]} routed tasks. Afterwards
     * {@link #recycles} says what each route takes in the next epoch.
     */
    void epochEnded(long cpuNanos, long bytes, long[] tasks) {
        long n = epoch++;
        if (n < settings.warmupEpochs()) {
            return;
        }
        // A quiet epoch is merged with the next ones (up to MAX_MERGED) rather than dropped: a route
        // whose throughput collapsed must still be measured, slowly, or it could never be left.
        pendingCpu += cpuNanos;
        pendingBytes = bytes < 0 || pendingBytes < 0 ? BYTES_UNMEASURED : pendingBytes + bytes;
        for (int r = 0; r < routes; r++) {
            pendingTasks[r] += tasks[r];
        }
        pendingEpochs++;
        long total = 0;
        for (long t : pendingTasks) {
            total += t;
        }
        if (total < settings.minTasks() && pendingEpochs < MAX_MERGED) {
            return; // keep the phase: a probe simply lasts longer
        }
        long cpu = pendingCpu;
        long allocated = pendingBytes;
        long[] merged = pendingTasks.clone();
        int epochs = pendingEpochs;
        pendingCpu = 0;
        pendingBytes = 0;
        Arrays.fill(pendingTasks, 0);
        pendingEpochs = 0;
        if (total < settings.minTasks() || cpu <= 0) {
            phase = Phase.BASELINE; // a pause: drop any probe in flight
            probeRoute = -1;
            resuming = true;
            Arrays.fill(loadChangeRun, 0);
            return;
        }
        if (resuming) {
            resuming = false; // part pause, part load: neither a baseline nor a new rate
            return;
        }
        sampleEnded(samples++, cpu, allocated < 0 ? Double.NaN : (double) allocated / total, merged, total,
                (double) total / epochs);
    }

    /** Sample {@code n} (counted from the first measured one) ended. */
    private void sampleEnded(long n, long cpuNanos, double bytesPerTask, long[] tasks, long total, double rate) {
        double perTask = (double) cpuNanos / total;
        switch (phase) {
            case BASELINE -> {
                before = perTask;
                beforeRate = rate;
                beforeBytes = bytesPerTask;
                forgetEvidenceOfAnotherLoad(n, rate);
                startProbeIfDue(n, tasks, total);
            }
            case PROBE -> {
                probeCost = perTask;
                probeRate = rate;
                probeBytes = bytesPerTask;
                probeShare = (double) tasks[probeRoute] / total;
                phase = Phase.AFTER;
            }
            case AFTER -> {
                if (rate < beforeRate * NEIGHBOURS_AGREE && beforeRate < rate * NEIGHBOURS_AGREE) {
                    record(n, probeRoute, probeCost, (before + perTask) / 2, probeShare,
                            probeRate, (beforeRate + rate) / 2, probeBytes / ((beforeBytes + bytesPerTask) / 2));
                } else {
                    // The load moved under the probe: no reference, and this sample is no baseline
                    // for the next probe either (it may be the partly idle one); the next one is.
                    droppedProbes[probeRoute]++;
                    phase = Phase.BASELINE;
                    probeRoute = -1;
                    return;
                }
                before = perTask; // this epoch is also the baseline before the next probe
                beforeRate = rate;
                beforeBytes = bytesPerTask;
                phase = Phase.BASELINE;
                probeRoute = -1;
                startProbeIfDue(n, tasks, total);
            }
        }
    }

    /**
     * Every route whose evidence was gathered at a rate {@link #LOAD_CHANGE_FACTOR} away from this
     * sample's and the one before's ({@value #LOAD_CHANGE_SAMPLES} baselines: every route on its decided path; the epoch after a probe is not, as a
     * route that just switched ran it on its old path) starts over: no ratios, first probe interval, probe due now.
     * Its decision stands until three new probes say otherwise.
     */
    private void forgetEvidenceOfAnotherLoad(long n, double rate) {
        for (int r = 0; r < routes; r++) {
            double then = evidenceRate[r];
            int side = then <= 0 ? 0 : rate > then * LOAD_CHANGE_FACTOR ? 1 : rate * LOAD_CHANGE_FACTOR < then ? -1 : 0;
            loadChangeRun[r] = side == 0 ? 0 : Integer.signum(loadChangeRun[r]) == side ? loadChangeRun[r] + side : side;
            if (Math.abs(loadChangeRun[r]) >= LOAD_CHANGE_SAMPLES) {
                loadChangeRun[r] = 0;
                evidenceRate[r] = 0;
                ratioCount[r] = 0;
                probeInterval[r] = settings.firstProbeInterval();
                nextProbeEpoch[r] = n;
                loadChanges[r]++;
            }
        }
    }

    private void startProbeIfDue(long n, long[] tasks, long total) {
        for (int i = 0; i < routes; i++) {
            int r = (roundRobin + i) % routes;
            if (n >= nextProbeEpoch[r] && tasks[r] >= settings.minShare() * total) {
                roundRobin = r + 1;
                probeRoute = r;
                phase = Phase.PROBE;
                probes[r]++;
                return;
            }
        }
    }

    /**
     * The probe against the baseline, as recycled/fresh. Cost and bytes for the route alone: the process's
     * ratio is {@code 1 + share * (routeRatio - 1)} when only a {@code share} of the tasks changed.
     * Speed for the process as it is: at saturation every route's rate moves together (a request
     * that waits for its {@code @Async} task), below it no rate moves.
     */
    private void record(long n, int r, double probe, double baseline, double share,
                        double probeTasksPerEpoch, double baselineTasksPerEpoch, double processBytesRatio) {
        double recycledOverFresh = routeRecycledOverFresh(r, probe / baseline, share);
        if (!usable(recycledOverFresh)) {
            return; // a probe epoch so noisy the correction went negative: no evidence either way
        }
        double speedRatio = probeTasksPerEpoch / baselineTasksPerEpoch;
        double bytesRecycledOverFresh = routeRecycledOverFresh(r, processBytesRatio, share); // NaN: not measured
        int slot = ratioCount[r] % RING;
        ratios[r][slot] = recycledOverFresh;
        speeds[r][slot] = recycleDecided[r] ? 1 / speedRatio : speedRatio;
        bytes[r][slot] = usable(bytesRecycledOverFresh) ? bytesRecycledOverFresh : Double.NaN;
        ratioCount[r]++;
        boolean switched = false;
        if (ratioCount[r] >= 3) {
            boolean recycledBetter = evidenceFavoursRecycling(r, Math.min(probeTasksPerEpoch, baselineTasksPerEpoch));
            if (recycleDecided[r] != recycledBetter) {
                recycleDecided[r] = recycledBetter;
                switched = true;
            }
        }
        // the rate the decided path runs at: after a switch that is the probed path's
        evidenceRate[r] = switched ? probeTasksPerEpoch : baselineTasksPerEpoch;
        if (switched) {
            switches[r]++;
            probeInterval[r] = settings.firstProbeInterval();
        } else if (ratioCount[r] >= 3) {
            probeInterval[r] = Math.min(settings.maxProbeInterval(), probeInterval[r] * 2);
        }
        nextProbeEpoch[r] = n + probeInterval[r];
        if (trace != null) {
            trace.accept(String.format(java.util.Locale.ROOT,
                    "route %s probe %s: speed %.3f cost %.3f bytes %.3f (share %.2f, %.0f vs %.0f tasks per epoch)"
                            + " -> medians speed %.3f cost %.3f bytes %.3f of %d, %s%s",
                    routeNames[r], recycleDecided[r] != switched ? "fresh" : "recycled", speeds[r][slot], ratios[r][slot],
                    bytes[r][slot], share, probeTasksPerEpoch, baselineTasksPerEpoch, speedRatio(r), costRatio(r),
                    bytesRatio(r), Math.min(ratioCount[r], RING),
                    recycleDecided[r] ? "recycles" : "fresh", switched ? " (switched)" : ""));
        }
    }

    /**
     * Whether a route ratio is evidence: positive and finite. A probe epoch so noisy that the share
     * correction went negative or divided by nothing, or bytes not measured (NaN), is not.
     */
    private static boolean usable(double ratio) {
        return ratio > 0 && !Double.isInfinite(ratio);
    }

    /** A process ratio (probe / baseline) as the route's own, recycled/fresh. */
    private double routeRecycledOverFresh(int r, double processRatio, double share) {
        double routeRatio = 1 + (processRatio - 1) / Math.max(share, settings.minShare());
        return recycleDecided[r] ? 1 / routeRatio : routeRatio;
    }

    /**
     * Which path the evidence favours: speed where its median differs from 1 beyond its noise,
     * else cost beyond its noise; when neither is beyond its margin, the route's tie path: recycling,
     * which saves the thread's allocation at no measurable price, unless the route is one whose loss
     * the probes are known not to see (see {@code RouteGovernor#FRESH_ON_TIE}) or its saving is too
     * small to be worth recycling ({@link #BYTES_WORTH_RECYCLING}). A tie used to keep whatever path the route was on:
     * embedded Tomcat, sent to fresh threads by one early noisy verdict, then measured equal on both
     * paths (speed 1.01, cost 0.998) for the rest of the run, ran 80% of its requests fresh and saved
     * 2-14% of its bytes instead of a third.
     */
    private boolean evidenceFavoursRecycling(int r, double tasksPerEpoch) {
        int k = Math.min(ratioCount[r], RING);
        double speed = speedRatio(r);
        if (Math.abs(speed - 1) > Math.max(speedMargin(tasksPerEpoch), scatterMargin(speeds[r], k))) {
            return speed > 1;
        }
        double cost = costRatio(r);
        if (Math.abs(cost - 1) > Math.max(settings.margin(), scatterMargin(ratios[r], k))) {
            return cost < 1;
        }
        return recycleOnTie[r] && !savesTooFewBytes(r);
    }

    /**
     * Whether the route's bytes median is above {@link #BYTES_WORTH_RECYCLING} beyond the scatter of
     * its ratios: noisy probes decide nothing here either. In a JVM's first seconds (classes loading,
     * the JIT compiling) Tomcat's probes read bytes 1.06 and 1.01 and then 0.44; without the margin the
     * route went to fresh threads for a few seconds on that median.
     */
    private boolean savesTooFewBytes(int r) {
        double[] measured = measuredBytes(r);
        return bytesRatio(r) - scatterMargin(measured, measured.length) > BYTES_WORTH_RECYCLING; // NaN: false
    }

    private double speedMargin(double tasksPerEpoch) {
        return Math.max(settings.margin(), SPEED_NOISE_SIGMAS / Math.sqrt(Math.max(1, tasksPerEpoch)));
    }

    /**
     * How far from 1 a median of {@code k} probe ratios lies by chance, given how much the ratios
     * themselves scatter: Student's t (two-sided 95%, k - 1 degrees of freedom) times the median's
     * standard error, 1.2533 s / sqrt(k), with s the ratios' sample standard deviation. The fixed
     * margins assume quiet epochs; on a small heap a 250 ms epoch holds a young collection or not,
     * probe ratios scatter by 5-10%, and medians of five equal paths landed 3-4% from 1: Tomcat at
     * 48 MB switched 2-5 times per 26 s run and ran a third of its requests on fresh threads for
     * nothing (RouteTrialsTest simulates it). A GC outlier widens the margin: the cautious side, since
     * undecided means recycling.
     */
    static double scatterMargin(double[] ring, int k) {
        if (k < 3) {
            return Double.POSITIVE_INFINITY;
        }
        double mean = 0;
        for (int i = 0; i < k; i++) {
            mean += ring[i];
        }
        mean /= k;
        double squares = 0;
        for (int i = 0; i < k; i++) {
            squares += (ring[i] - mean) * (ring[i] - mean);
        }
        double s = Math.sqrt(squares / (k - 1));
        return T_975[k] * 1.2533 * s / Math.sqrt(k);
    }

    /** Student's t, two-sided 95%, by number of ratios (k - 1 degrees of freedom); decisions start at 3. */
    private static final double[] T_975 = {Double.NaN, Double.NaN, 12.706, 4.303, 3.182, 2.776};

    /** The path the route's tasks take in the next epoch (its decision, or the other path while probed). */
    boolean recycles(int route) {
        boolean decided = recycleDecided[route];
        return phase == Phase.PROBE && probeRoute == route ? !decided : decided;
    }

    /** The route's decision (not flipped by a probe in progress). */
    boolean recycleDecided(int route) {
        return recycleDecided[route];
    }

    /** Median of the route's last ratios, CPU per task recycled / fresh; NaN before the first. */
    double costRatio(int route) {
        return median(ratios[route], Math.min(ratioCount[route], RING));
    }

    /** Median of the route's last ratios, routed tasks per epoch recycled / fresh; NaN before the first. */
    double speedRatio(int route) {
        return median(speeds[route], Math.min(ratioCount[route], RING));
    }

    /**
     * Median of the route's last ratios, bytes per task recycled / fresh; NaN before three probes
     * measured it (a JVM that does not count allocation never does).
     */
    double bytesRatio(int route) {
        double[] measured = measuredBytes(route);
        return measured.length < 3 ? Double.NaN : median(measured, measured.length);
    }

    /** The route's last bytes ratios that were measured. */
    private double[] measuredBytes(int route) {
        return Arrays.stream(bytes[route], 0, Math.min(ratioCount[route], RING)).filter(b -> !Double.isNaN(b)).toArray();
    }

    /** Median of the first {@code k} values; NaN for none. NaN values sort last (Arrays.sort). */
    private static double median(double[] ring, int k) {
        if (k == 0) {
            return Double.NaN;
        }
        double[] sorted = Arrays.copyOf(ring, k);
        Arrays.sort(sorted);
        return k % 2 == 1 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
    }

    long switches(int route) {
        return switches[route];
    }

    long probes(int route) {
        return probes[route];
    }

    /** Probes of the route whose neighbours disagreed ({@link #NEIGHBOURS_AGREE}): not recorded. */
    long droppedProbes(int route) {
        return droppedProbes[route];
    }

    /** How often the route's evidence was forgotten because the load moved. */
    long loadChanges(int route) {
        return loadChanges[route];
    }
}
