package dev.vtrecycler.demo.ab;

/** A step's load: a fixed rate in requests per second, or as fast as possible with {@code inFlight} outstanding. */
public record Load(int ratePerSecond, int inFlight) {
    public static Load rate(int perSecond) {
        return new Load(perSecond, 0);
    }

    public static Load max(int inFlight) {
        return new Load(0, inFlight);
    }

    public boolean isMax() {
        return ratePerSecond == 0;
    }

    /** The row name: "1000/s" or "max (64 in flight)". */
    public String describe() {
        return isMax() ? "max (" + inFlight + " in flight)" : ratePerSecond + "/s";
    }
}
