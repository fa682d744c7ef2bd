package dev.vtrecycler.demo.command;

import dev.vtrecycler.demo.cli.Option;
import dev.vtrecycler.demo.cli.ParsedOptions;
import dev.vtrecycler.demo.measure.IterationRunner;
import dev.vtrecycler.demo.measure.ResultLine;
import dev.vtrecycler.demo.measure.ThreadReuse;
import dev.vtrecycler.demo.workload.PrimeSieve;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** {@code sieve}: the seed's daisy-chain prime sieve, one filter virtual thread per prime found. */
public final class SieveCommand implements Command {
    /** About a second per operation (1,200 threads, about 740,000 channel hand-offs) on 2 shared cores. */
    public static final int DEFAULT_PRIMES = 1200;

    @Override
    public String name() {
        return "sieve";
    }

    @Override
    public String summary() {
        return "find the n-th prime with a daisy chain of filter virtual threads (the seed's PrimeNumber)";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.number("primes", "n", 1, 1_000_000, DEFAULT_PRIMES, "primes to find per operation"),
                Option.number("warmup", "ops", 0, 10_000, 0, "unmeasured operations first"),
                Option.number("iterations", "ops", 1, 10_000, 1, "measured operations"),
                Option.flag("machine", "also print machine-readable lines (used by compare)"));
    }

    @Override
    public int run(ParsedOptions options) throws Exception {
        int primes = options.intNumber("primes");
        boolean machine = options.flag("machine");
        new IterationRunner(name(), System.out, System.err).run(
                () -> primes + "th prime = " + PrimeSieve.run(primes),
                options.intNumber("warmup"), options.intNumber("iterations"), machine);
        if (machine) {
            System.out.println(ResultLine.format(reuseProbe(primes)));
        }
        return 0;
    }

    /**
     * Two more, unmeasured operations whose spawner records the thread every task ran on. Two,
     * because within one operation every filter lives until the end, so all of them need a thread
     * at once: reuse shows only across operations. The {@code Thread.startVirtualThread(...)}
     * result is dropped here too, so the agent may route it.
     */
    static ResultLine.Reuse reuseProbe(int primes) {
        long[] ids = new long[2 * (primes + 16)];
        AtomicInteger next = new AtomicInteger();
        Consumer<Runnable> recordingSpawner = task -> {
            int slot = next.getAndIncrement();
            Runnable recording = () -> {
                if (slot < ids.length) {
                    ids[slot] = Thread.currentThread().threadId();
                }
                task.run();
            };
            Thread.startVirtualThread(recording);
        };
        PrimeSieve.run(primes, recordingSpawner);
        PrimeSieve.run(primes, recordingSpawner);
        return ThreadReuse.of(ids, Math.min(next.get(), ids.length));
    }
}
