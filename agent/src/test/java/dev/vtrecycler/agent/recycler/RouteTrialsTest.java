package dev.vtrecycler.agent.recycler;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The governor's decision logic on synthetic workloads: a simulated process whose CPU per task
 * depends on which path each route takes, with multiplicative noise, fed epoch by epoch exactly as
 * {@link RouteGovernor} feeds it.
 */
class RouteTrialsTest {
    private static final RouteTrials.Settings FAST = new RouteTrials.Settings(2, 100, 0.25, 0.03, 3, 48);

    /** One route (index 0) carrying all tasks; CPU per task recycled and fresh as given. */
    private static final class World {
        final RouteTrials trials = new RouteTrials(2, FAST);
        final Random random = new Random(42);
        double recycledCost;
        double freshCost;
        double noise;
        int recycledEpochs;
        int freshEpochs;

        World(double recycledCost, double freshCost, double noise) {
            this.recycledCost = recycledCost;
            this.freshCost = freshCost;
            this.noise = noise;
        }

        void run(int epochs) {
            for (int i = 0; i < epochs; i++) {
                boolean recycle = trials.recycles(0);
                if (recycle) {
                    recycledEpochs++;
                } else {
                    freshEpochs++;
                }
                double cost = (recycle ? recycledCost : freshCost) * (1 + noise * random.nextGaussian());
                long tasks = 10_000;
                trials.epochEnded((long) (cost * tasks), new long[] {tasks, 0});
            }
        }
    }

    @ParameterizedTest(name = "recycled {0} ns vs fresh {1} ns, noise {2}: recycles={3}")
    @CsvSource({
            "1000, 1070, 0.01, true",   // recycling 7% cheaper: keep it
            "1070, 1000, 0.01, false",  // recycling 7% dearer (the JDK server): fall back
            "1260, 1000, 0.02, false",  // Spring @Async's 26%
            "1000, 1000, 0.01, true",   // no difference: stay where we are (recycling)
            "1010, 1000, 0.01, true",   // within the margin: no switch
            "1080, 1000, 0.03, false",  // noisier epochs, larger loss: still found
    })
    void settlesOnTheCheaperPath(double recycled, double fresh, double noise, boolean expectRecycle) {
        World w = new World(recycled, fresh, noise);
        w.run(200);
        assertThat(w.trials.recycleDecided(0)).isEqualTo(expectRecycle);
        if (!Double.isNaN(w.trials.costRatio(0))) {
            assertThat(w.trials.costRatio(0)).isCloseTo(recycled / fresh, org.assertj.core.data.Offset.offset(0.05));
        }
    }

    @Test
    void switchesBackWhenTheWorkloadChanges() {
        World w = new World(1100, 1000, 0.01);
        w.run(100);
        assertThat(w.trials.recycleDecided(0)).isFalse();
        w.recycledCost = 900; // recycling now pays (say, a park-heavy phase)
        w.run(300);
        assertThat(w.trials.recycleDecided(0)).isTrue();
        assertThat(w.trials.switches(0)).isEqualTo(2);
    }

    @Test
    void aTieGoesBackToRecyclingWhichSavesTheAllocation() {
        World w = new World(1100, 1000, 0.01);
        w.run(100);
        assertThat(w.trials.recycleDecided(0)).isFalse();
        w.recycledCost = 1000; // the difference is gone: both paths as fast and as dear
        w.run(300);
        assertThat(w.trials.recycleDecided(0)).isTrue();
    }

    /**
     * Both paths as fast and as dear (the probes' view of every server but {@code @Async}); what the
     * process allocates per task differs: a tie recycles only where that saves 15% or more.
     */
    @ParameterizedTest(name = "bytes per task recycled {0} vs fresh {1}, fresh on a tie {2}: recycles={3}")
    @CsvSource({
            "600, 1000, false, true",   // Tomcat, Jetty: a third of the bytes saved
            "780, 1000, false, true",   // Spring Boot GET /: a fifth
            "930, 1000, false, false",  // the JDK HttpServer: 7% (1 kB of 13.7) is not worth it
            "1000, 1000, false, false", // nothing saved
            "600, 1000, true, false",   // a fresh-on-tie route (Spring @Async) stays fresh, saving or not
    })
    void aTieRecyclesOnlyWhereItSavesEnoughBytes(double recycledBytes, double freshBytes, boolean freshOnTie,
                                                boolean expectRecycle) {
        RouteTrials trials = new RouteTrials(1, FAST, new boolean[] {freshOnTie});
        Random random = new Random(11);
        for (int i = 0; i < 300; i++) {
            long tasks = 10_000;
            double cost = 1000 * (1 + 0.01 * random.nextGaussian());
            double perTask = (trials.recycles(0) ? recycledBytes : freshBytes) * (1 + 0.01 * random.nextGaussian());
            trials.epochEnded((long) (cost * tasks), (long) (perTask * tasks), new long[] {tasks});
        }
        assertThat(trials.recycleDecided(0)).isEqualTo(expectRecycle);
        assertThat(trials.speedRatio(0)).isCloseTo(1, org.assertj.core.data.Offset.offset(0.02));
        assertThat(trials.bytesRatio(0)).isCloseTo(recycledBytes / freshBytes, org.assertj.core.data.Offset.offset(0.03));
    }

    /**
     * A JVM's first seconds: Tomcat's first probes read bytes 1.06 and 1.01, then 0.44 (classes
     * loading, the JIT compiling). Such scatter decides nothing: the route stays recycled. Fails
     * without the scatter margin on bytes (the median, 1.035, sends it to fresh threads).
     */
    @Test
    void scatteredByteRatiosDecideNothing() {
        RouteTrials trials = new RouteTrials(1, FAST);
        // recycled bytes per task until the first probe ends, then while the second ends, then after:
        // probe ratios 1.06, 1.035 (its neighbours 1,060 and 1,010) and 0.725; fresh 1,000 throughout
        double[] recycledBytes = {1060, 1010, 440};
        while (trials.probes(0) < 4) { // three probes recorded
            long tasks = 10_000;
            double perTask = trials.recycles(0)
                    ? recycledBytes[(int) Math.max(0, Math.min(trials.probes(0) - 1, 2))] : 1000;
            trials.epochEnded(1000 * tasks, (long) (perTask * tasks), new long[] {tasks});
        }
        assertThat(trials.bytesRatio(0)).isCloseTo(1.035, org.assertj.core.data.Offset.offset(0.01));
        assertThat(trials.recycleDecided(0)).isTrue();
        assertThat(trials.switches(0)).isZero();
    }

    @Test
    void withoutByteCountsATieKeepsTheTiePath() {
        World w = new World(1000, 1000, 0.01); // epochEnded without bytes: a JVM that does not count them
        w.run(200);
        assertThat(w.trials.recycleDecided(0)).isTrue();
        assertThat(w.trials.bytesRatio(0)).isNaN();
    }

    @Test
    void probesBackOffWhileTheDecisionHolds() {
        World w = new World(1100, 1000, 0.01);
        w.run(1000);
        // after the switch, probes (recycled epochs) become rare: intervals double up to 48 epochs
        assertThat(w.recycledEpochs).isLessThan(60);
        assertThat(w.trials.probes(0)).isLessThan(40);
    }

    @Test
    void noDecisionWithoutTasksOrDuringWarmup() {
        RouteTrials trials = new RouteTrials(1, FAST);
        for (int i = 0; i < 100; i++) {
            trials.epochEnded(1_000_000, new long[] {10}); // below minTasks even merged (8 x 10)
        }
        assertThat(trials.probes(0)).isZero();
        assertThat(trials.recycles(0)).isTrue();
        assertThat(trials.costRatio(0)).isNaN();
    }

    @Test
    void aMinorRouteIsNotProbedAndAMajorRouteIsCorrectedForItsShare() {
        RouteTrials trials = new RouteTrials(2, FAST);
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            // route 0: most tasks, recycling costs 10% more than fresh; route 1: 6% of the tasks;
            // and CPU no route accounts for (a server's dispatcher thread) dilutes the process's ratio
            boolean r0 = trials.recycles(0);
            long t0 = 8_000;
            long t1 = 500;
            double cpu = (t0 * (r0 ? 1100 : 1000) + t1 * 1000 + 1_500_000) * (1 + 0.005 * random.nextGaussian());
            trials.epochEnded((long) cpu, new long[] {t0, t1});
        }
        assertThat(trials.recycleDecided(0)).isFalse();
        assertThat(trials.costRatio(0)).isCloseTo(1.1, org.assertj.core.data.Offset.offset(0.04));
        assertThat(trials.probes(1)).isZero();
        assertThat(trials.recycleDecided(1)).isTrue();
    }

    @Test
    void anInterruptedProbeIsDropped() {
        RouteTrials trials = new RouteTrials(1, FAST);
        long[] busy = {10_000};
        trials.epochEnded(10_000_000, busy);
        trials.epochEnded(10_000_000, busy); // warm-up over
        trials.epochEnded(10_000_000, busy); // baseline: probe starts
        assertThat(trials.recycles(0)).isFalse();
        for (int i = 0; i < RouteTrials.MAX_MERGED; i++) {
            trials.epochEnded(10_000_000, new long[] {10}); // too few tasks, even merged: the probe is dropped
        }
        assertThat(trials.recycles(0)).isTrue();
        assertThat(trials.costRatio(0)).isNaN();
    }

    @Test
    void aRouteWhoseThroughputCollapsesWhenRecycledIsStillMeasuredAndLeft() {
        // Recycled: the process idles at 5% CPU and serves 15 tasks per epoch (a stall);
        // fresh: 5,000 tasks per epoch at 1 us each. Quiet epochs merge into measurable samples.
        RouteTrials trials = new RouteTrials(1, FAST);
        for (int i = 0; i < 400 && trials.recycleDecided(0); i++) {
            boolean recycle = trials.recycles(0);
            trials.epochEnded(recycle ? 12_500_000 : 5_000_000_000L / 1000, new long[] {recycle ? 15 : 5_000});
        }
        assertThat(trials.recycleDecided(0)).isFalse();
        assertThat(trials.costRatio(0)).isGreaterThan(10);
    }
    /**
     * A closed loop at saturation: each path has its CPU per task and its tasks per epoch (1%
     * noise on both). Speed decides when it differs; cost only when speed is the same.
     */
    @ParameterizedTest(name = "recycled {0} ns x {2}/epoch vs fresh {1} ns x {3}/epoch: recycles={4}")
    @CsvSource({
            "1080, 1000, 12000, 10000, true",   // dearer per task but 20% more served (Spring @Async): keep it
            "1000, 1000,  9000, 10000, false",  // same CPU per task, 10% fewer served: fall back
            "1000, 1070,  9000, 10000, false",  // cheaper per task but slower: slower loses
            "1070, 1000, 10000, 10000, false",  // same speed: cost decides (the JDK server's 7%)
    })
    void atSaturationSpeedDecidesBeforeCost(double recycledCost, double freshCost, long recycledRate, long freshRate,
                                            boolean expectRecycle) {
        RouteTrials trials = new RouteTrials(1, FAST);
        Random random = new Random(11);
        for (int i = 0; i < 300; i++) {
            boolean recycle = trials.recycles(0);
            long tasks = Math.round((recycle ? recycledRate : freshRate) * (1 + 0.01 * random.nextGaussian()));
            double cost = (recycle ? recycledCost : freshCost) * (1 + 0.01 * random.nextGaussian());
            trials.epochEnded((long) (cost * tasks), new long[] {tasks});
        }
        assertThat(trials.recycleDecided(0)).isEqualTo(expectRecycle);
        assertThat(trials.speedRatio(0)).isCloseTo((double) recycledRate / freshRate,
                org.assertj.core.data.Offset.offset(0.04));
    }

    @Test
    void randomArrivalsAtALightLoadDecideNothing() {
        // An open loop at 2,000/s: 500 tasks per 250 ms epoch, Poisson (sd ~22, 4.5%), same cost on
        // both paths: the speed ratios scatter by several percent but never beyond their noise margin.
        RouteTrials trials = new RouteTrials(1, FAST);
        Random random = new Random(5);
        for (int i = 0; i < 3000; i++) {
            long tasks = Math.max(1, Math.round(500 + Math.sqrt(500) * random.nextGaussian()));
            trials.epochEnded((long) (1000 * (1 + 0.01 * random.nextGaussian()) * tasks), new long[] {tasks});
        }
        assertThat(trials.switches(0)).isZero();
        assertThat(trials.probes(0)).isGreaterThan(40);
    }

    @Test
    void aLoadThatChangesIsJudgedAfreshWithinSeconds() {
        // A service at 2,000/s (500 tasks per epoch, same speed on both paths, recycling 1% dearer:
        // the governor keeps recycling and backs its probes off to 48 epochs), then flat out, where
        // recycled threads serve 20% fewer requests: the old evidence describes another load, and
        // waiting for it to age out of the median would leave the loss in place for half a minute.
        RouteTrials trials = new RouteTrials(1, FAST);
        Random random = new Random(3);
        for (int i = 0; i < 400; i++) {
            boolean recycle = trials.recycles(0);
            long tasks = Math.max(1, Math.round(500 + Math.sqrt(500) * random.nextGaussian()));
            double cost = (recycle ? 1010 : 1000) * (1 + 0.01 * random.nextGaussian());
            trials.epochEnded((long) (cost * tasks), new long[] {tasks});
        }
        assertThat(trials.recycleDecided(0)).isTrue();
        int epochsToSwitch = -1;
        for (int i = 0; i < 200 && epochsToSwitch < 0; i++) {
            boolean recycle = trials.recycles(0);
            long tasks = Math.round((recycle ? 8_000 : 10_000) * (1 + 0.01 * random.nextGaussian()));
            trials.epochEnded((long) (1000 * (1 + 0.01 * random.nextGaussian()) * tasks), new long[] {tasks});
            if (!trials.recycleDecided(0)) {
                epochsToSwitch = i + 1;
            }
        }
        assertThat(epochsToSwitch).as("epochs of saturation before falling back").isBetween(1, 24);
        assertThat(trials.loadChanges(0)).isGreaterThanOrEqualTo(1);
    }

    /**
     * Two equal paths at saturation on a small heap: a 250 ms epoch holds a young GC or not, so
     * tasks per epoch and CPU per task scatter by 8% (far beyond counting noise), and the medians of
     * five probes by about 4%, where the fixed 2% margin read them as differences: Tomcat at 48 MB
     * switched routes 2-5 times per 26 s run and sent a third of its requests to fresh threads,
     * which saved no time and cost bytes. The margins grow with the scatter the probes show.
     */
    @ParameterizedTest(name = "noise {0}")
    @CsvSource({"0.04", "0.08", "0.12"})
    void equalPathsWithNoisyEpochsKeepRecycling(double noise) {
        RouteTrials trials = new RouteTrials(1, RouteTrials.Settings.defaults());
        Random random = new Random(13);
        int fresh = 0;
        int epochs = 4000;
        for (int i = 0; i < epochs; i++) {
            boolean recycle = trials.recycles(0);
            fresh += recycle ? 0 : 1;
            long tasks = Math.round(3000 * (1 + noise * random.nextGaussian()));
            double cost = 30_000 * (1 + noise * random.nextGaussian());
            trials.epochEnded((long) (cost * tasks), new long[] {tasks});
        }
        // fixed margins: 24-41 switches and 10-53% of the epochs fresh; scatter-aware: 0-6 and 2-5%
        // (the probes' own epochs included)
        assertThat(trials.switches(0)).as("switches in 1,000 s").isLessThanOrEqualTo(epochs / 500);
        assertThat((double) fresh / epochs).as("share of epochs on fresh threads").isLessThan(0.05);
    }

    /**
     * A service loaded in bursts: 2 s flat out (8 epochs of ~3,000 tasks, the first and last only
     * partly loaded), then 4 s idle, the paths equal. This is also how {@code service-ab
     * --interleave} loads each of its JVMs. Every burst used to look like a new load (the sample that
     * straddles the pause's end runs at a fraction of the rate), so its evidence was forgotten and its
     * probes restarted every third epoch: 23-27% of the tasks ran on fresh threads in the interleaved
     * A/B for nothing, a share of the bytes recycling saves. Here: 24.8% before; 2.4% with pauses
     * and their ends dropped, two baselines to make a new load and probes counted in samples (without
     * each of the three: 15.3%, 17.9% and 7.2%).
     */
    /**
     * Feeds {@code epoch} (cycle, load from 0 to 1) with {@code cycles} cycles of 24 epochs: 8 loaded,
     * the first and the last of them only partly (the load starts and stops within an epoch), 16 idle.
     */
    private static void inBursts(Random random, int cycles, java.util.function.ObjIntConsumer<Double> epoch) {
        for (int cycle = 0; cycle < cycles; cycle++) {
            double partial = random.nextDouble();
            for (int e = 0; e < 24; e++) {
                epoch.accept(e == 0 ? partial : e == 8 ? 1 - partial : e < 8 ? 1.0 : 0.0, cycle);
            }
        }
    }

    @Test
    void burstsOfTheSameLoadKeepTheirEvidence() {
        RouteTrials trials = new RouteTrials(1, RouteTrials.Settings.defaults());
        Random random = new Random(17);
        long[] freshAndAll = new long[2];
        inBursts(random, 200, (load, cycle) -> {
            long tasks = Math.round(3000 * load * (1 + 0.03 * random.nextGaussian()));
            freshAndAll[0] += trials.recycles(0) ? 0 : tasks;
            freshAndAll[1] += tasks;
            long cpu = Math.round(tasks * 30_000 * (1 + 0.03 * random.nextGaussian())) + 2_000_000;
            trials.epochEnded(cpu, new long[] {tasks});
        });
        assertThat(trials.switches(0)).as("switches").isLessThanOrEqualTo(2);
        assertThat((double) freshAndAll[0] / freshAndAll[1]).as("share of tasks on fresh threads").isLessThan(0.05);
        assertThat(trials.loadChanges(0)).as("bursts taken for new loads").isLessThanOrEqualTo(2);
    }

    /**
     * The same bursts on two routes carrying one task each per request (a request thread and an
     * {@code @Async}-like task), 5% noise per epoch, recycling the second route 12% slower and 12%
     * dearer within the epoch that swaps it: the pause rules must not hide such a loss. (Spring
     * {@code @Async}'s real loss does not show within an epoch at all; that route starts fresh,
     * {@link #aFreshOnTieRouteRecyclesOnlyWhenThatWins}.)
     */
    @Test
    void aLosingRouteLoadedInBurstsIsLeft() {
        RouteTrials trials = new RouteTrials(2, RouteTrials.Settings.defaults());
        Random random = new Random(23);
        long[] recycledAndAll = new long[2];
        inBursts(random, 60, (load, cycle) -> {
            boolean asyncRecycled = trials.recycles(1);
            double speed = asyncRecycled ? 0.88 : 1.0;
            long requests = Math.round(3500 * load * speed * (1 + 0.05 * random.nextGaussian()));
            double cpuPerRequest = 60_000 * (asyncRecycled ? 1.12 : 1.0) * (1 + 0.05 * random.nextGaussian());
            if (cycle >= 20) {
                recycledAndAll[0] += asyncRecycled ? requests : 0;
                recycledAndAll[1] += requests;
            }
            trials.epochEnded(Math.round(requests * cpuPerRequest) + 2_000_000, new long[] {requests, requests});
        });
        assertThat(trials.recycleDecided(1)).as("the @Async route").isFalse();
        assertThat(trials.recycleDecided(0)).as("the request route (equal paths)").isTrue();
        assertThat((double) recycledAndAll[0] / recycledAndAll[1]).as("@Async tasks recycled after 2 minutes").isLessThan(0.10);
    }

    /**
     * A probe is measured against the mean of its neighbours, which means nothing when the load
     * moved under it: here the epoch after is the partly idle end of a burst. Traced on Spring
     * {@code @Async} loaded in bursts, such probes gave speed ratios of 0.62 and 1.50 among
     * 0.95-1.06, and the scatter they added kept a losing route undecided.
     */
    @Test
    void aProbeWhoseNeighboursDisagreeIsDropped() {
        RouteTrials trials = new RouteTrials(1, FAST);
        trials.epochEnded(10_000_000, new long[] {10_000});
        trials.epochEnded(10_000_000, new long[] {10_000}); // warm-up over
        trials.epochEnded(10_000_000, new long[] {10_000}); // baseline: the probe starts
        assertThat(trials.recycles(0)).isFalse();
        trials.epochEnded(10_000_000, new long[] {10_000}); // the probe's epoch, as fast and as dear
        trials.epochEnded(1_500_000, new long[] {3_000});   // the burst ends 30% into the epoch after
        assertThat(trials.droppedProbes(0)).isEqualTo(1);
        assertThat(trials.speedRatio(0)).as("nothing recorded").isNaN();
        assertThat(trials.recycles(0)).as("not a baseline for the next probe").isTrue();
        trials.epochEnded(10_000_000, new long[] {10_000}); // baseline: probed again
        assertThat(trials.recycles(0)).isFalse();
        trials.epochEnded(10_000_000, new long[] {10_000});
        trials.epochEnded(10_000_000, new long[] {10_000});
        assertThat(trials.speedRatio(0)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.001));
    }

    /**
     * A route whose loss the probes cannot see (Spring {@code @Async}) starts fresh and stays there
     * while recycled and fresh measure equal; recycling it must win, and then it recycles until the
     * win is gone. The other routes still start recycled and return to recycling on a tie.
     */
    @ParameterizedTest(name = "recycled speed {0}: the fresh-on-tie route recycles={1}")
    @CsvSource({"1.00, false", "1.02, false", "1.15, true"})
    void aFreshOnTieRouteRecyclesOnlyWhenThatWins(double recycledSpeed, boolean expectRecycle) {
        RouteTrials trials = new RouteTrials(2, RouteTrials.Settings.defaults(), new boolean[] {false, true});
        assertThat(trials.recycles(1)).as("starts fresh").isFalse();
        assertThat(trials.recycles(0)).as("the other route starts recycled").isTrue();
        Random random = new Random(29);
        for (int i = 0; i < 600; i++) {
            double speed = trials.recycles(1) ? recycledSpeed : 1.0;
            long requests = Math.round(4000 * speed * (1 + 0.01 * random.nextGaussian()));
            trials.epochEnded(requests * 50_000, new long[] {requests, requests}); // same CPU per request
        }
        assertThat(trials.recycleDecided(1)).isEqualTo(expectRecycle);
        assertThat(trials.recycleDecided(0)).as("equal paths: back to recycling").isTrue();
    }
}
