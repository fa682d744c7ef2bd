package dev.vtrecycler.demo.compare;

/** Which run a table cell or verdict refers to: one workload, one parallelism, one configuration. */
public record Cell(Workload workload, int parallelism, AgentConfig config) {

    public String describe() {
        return workload.rowName(parallelism) + " " + config.label();
    }
}
