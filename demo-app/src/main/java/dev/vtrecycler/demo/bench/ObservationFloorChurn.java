package dev.vtrecycler.demo.bench;

/**
 * A fixed amount of {@link ObservationFloorBenchmark}'s churn, without JMH, for instruction counting
 * ({@code demo-app/observe-floor-instructions.sh} runs it under callgrind with 3 and 6 ops and divides
 * the difference by the 30,000 threads in between, so start-up and JIT warm-up cancel out):
 *
 * <pre>
 * java -Djdk.virtualThreadScheduler.parallelism=1 -cp vtrecycler-demo.jar \
 *      dev.vtrecycler.demo.bench.ObservationFloorChurn fireAndForget|startJoin &lt;ops&gt;
 * </pre>
 */
public final class ObservationFloorChurn {
    private ObservationFloorChurn() {}

    public static void main(String[] args) throws Throwable {
        if (args.length != 2 || !(args[0].equals("fireAndForget") || args[0].equals("startJoin"))) {
            System.err.println("usage: ObservationFloorChurn fireAndForget|startJoin <ops of "
                    + ObservationFloorBenchmark.TASKS + " threads>");
            System.exit(2);
        }
        boolean join = args[0].equals("startJoin");
        int ops = Integer.parseInt(args[1]);
        Thread[] kept = new Thread[ObservationFloorBenchmark.TASKS];
        RecyclerChurnBenchmark.Countdown countdown = new RecyclerChurnBenchmark.Countdown();
        for (int i = 0; i < ops; i++) {
            if (join) {
                ObservationFloorBenchmark.startJoin(kept);
            } else {
                ObservationFloorBenchmark.fireAndForget(countdown);
            }
        }
    }
}
