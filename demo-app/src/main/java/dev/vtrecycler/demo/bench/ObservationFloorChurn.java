package dev.vtrecycler.demo.bench;

/**
 * A fixed amount of {@link ObservationFloorBenchmark}'s churn, without JMH, for instruction counting:
 * {@code warm-up} ops, a marker, {@code measured} ops, a marker. The marker is a call of
 * {@link Runtime#availableProcessors()}, which reaches the VM's {@code JVM_ActiveProcessorCount};
 * {@code demo-app/scripts/observe-floor-instructions.sh} runs this under callgrind with
 * {@code --dump-before=JVM_ActiveProcessorCount}, so the second dump holds the measured ops alone
 * (start-up, agent installation and JIT warm-up fall in the first):
 *
 * <pre>
 * java -Djdk.virtualThreadScheduler.parallelism=1 -cp vtrecycler-demo.jar \
 *      dev.vtrecycler.demo.bench.ObservationFloorChurn fireAndForget|startJoin &lt;warm-up ops&gt; &lt;measured ops&gt;
 * </pre>
 * One op is {@value ObservationFloorBenchmark#TASKS} virtual threads.
 */
public final class ObservationFloorChurn {
    private ObservationFloorChurn() {}

    public static void main(String[] args) throws Throwable {
        if (args.length != 3 || !(args[0].equals("fireAndForget") || args[0].equals("startJoin"))) {
            System.err.println("usage: ObservationFloorChurn fireAndForget|startJoin <warm-up ops> <measured ops>");
            System.exit(2);
        }
        boolean join = args[0].equals("startJoin");
        int warmUp = Integer.parseInt(args[1]);
        int measured = Integer.parseInt(args[2]);
        Thread[] kept = new Thread[ObservationFloorBenchmark.TASKS];
        RecyclerChurnBenchmark.Countdown countdown = new RecyclerChurnBenchmark.Countdown();
        for (int i = 0; i < warmUp + measured; i++) {
            if (i == warmUp) {
                marker();
            }
            if (join) {
                ObservationFloorBenchmark.startJoin(kept);
            } else {
                ObservationFloorBenchmark.fireAndForget(countdown);
            }
        }
        marker();
    }

    /** A native call nothing else makes while the churn runs: callgrind dumps its counts here. */
    private static void marker() {
        if (Runtime.getRuntime().availableProcessors() < 1) {
            throw new AssertionError();
        }
    }
}
