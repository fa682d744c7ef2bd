package dev.vtrecycler.demo.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResultLineTest {

    @Test
    void measurementRoundTrips() {
        ResultLine.Measurement m = new ResultLine.Measurement(3, 1_023_456_789L, 1_830_000L);

        assertThat(ResultLine.parseMeasurement(ResultLine.format(m))).contains(m);
    }

    @Test
    void reuseRoundTrips() {
        ResultLine.Reuse r = new ResultLine.Reuse(1001, 64);

        assertThat(ResultLine.parseReuse(ResultLine.format(r))).contains(r);
    }

    @Test
    void otherLinesAreNotResults() {
        assertThat(ResultLine.parseMeasurement("sieve: iteration 1 of 3: 1000th prime = 7919")).isEmpty();
        assertThat(ResultLine.parseReuse("vtrecycler-result iteration=1 nanos=1 bytes=1")).isEmpty();
    }
}
