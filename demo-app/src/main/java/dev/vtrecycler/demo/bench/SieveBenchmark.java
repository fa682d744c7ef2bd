package dev.vtrecycler.demo.bench;

import dev.vtrecycler.demo.workload.PrimeSieve;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The seed's prime sieve (a daisy chain of filter threads over unbuffered, non-allocating
 * channels) run from one virtual thread, threads started plain or on the recycler. Most of its
 * allocation is not thread creation (DESIGN 3: the scheduler's per-wake-up task adapter), so the
 * recycled arm's saving here is the ~n thread creations per op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SieveBenchmark {
    @Param("200")
    public int primes;

    private static final Consumer<Runnable> PLAIN = task -> {
        Thread t = Thread.startVirtualThread(task); // kept in a local: never routed by the agent
    };
    private static final Consumer<Runnable> RECYCLED = RecyclerLink::start;

    private int expected;

    @Setup(Level.Trial)
    public void setUp() {
        expected = nthPrime(primes);
    }

    @Benchmark
    public int plain() throws Throwable {
        return check(runOnVirtualThread(PLAIN));
    }

    @Benchmark
    public int recycled(RecyclerLink.Required recycler) throws Throwable {
        return check(runOnVirtualThread(RECYCLED));
    }

    private int runOnVirtualThread(Consumer<Runnable> spawner) throws Throwable {
        int[] result = new int[1];
        RecyclerChurnBenchmark.runSpawner(() -> result[0] = PrimeSieve.run(primes, spawner));
        return result[0];
    }

    private int check(int prime) {
        if (prime != expected) {
            throw new IllegalStateException("sieve returned " + prime + ", expected " + expected);
        }
        return prime;
    }

    static int nthPrime(int n) {
        int count = 0;
        for (int candidate = 2; ; candidate++) {
            boolean prime = true;
            for (int d = 2; d * d <= candidate; d++) {
                if (candidate % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime && ++count == n) {
                return candidate;
            }
        }
    }
}
