package dev.vtrecycler.demo.ab;

/**
 * The machine's one-minute load average over one server run: the mean and the highest of the
 * samples taken every second ({@link LoadAverageSampler}); NaN where the platform reports none.
 */
public record LoadAverage(double mean, double max) {
    static final LoadAverage NONE = new LoadAverage(Double.NaN, Double.NaN);

    public boolean known() {
        return !Double.isNaN(mean);
    }
}
