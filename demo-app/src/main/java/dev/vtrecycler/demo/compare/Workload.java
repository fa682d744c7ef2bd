package dev.vtrecycler.demo.compare;

/** The seed's two benchmarks and the subcommand that runs each in a child JVM. */
public enum Workload {
    SIEVE("PrimeNumber", "sieve"),
    PING("PingUrl", "ping");

    private final String benchmarkName;
    private final String subcommand;

    Workload(String benchmarkName, String subcommand) {
        this.benchmarkName = benchmarkName;
        this.subcommand = subcommand;
    }

    public String subcommand() {
        return subcommand;
    }

    /** Go's convention: no suffix at parallelism 1, "-N" at N (PrimeNumber, PrimeNumber-8). */
    public String rowName(int parallelism) {
        return parallelism == 1 ? benchmarkName : benchmarkName + "-" + parallelism;
    }
}
