package dev.vtrecycler.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationHistogramTest {

    @ParameterizedTest(name = "{0} ns -> bucket {1}")
    @CsvSource({
        "0, 0",
        "-5, 0",              // a clock that went backwards counts as 0
        "100000, 0",          // le=0.0001 is inclusive
        "100001, 1",
        "500000, 1",
        "1000000000, 8",      // 1 s
        "1800000000000, 14",  // 30 min, the last finite bound
        "1800000000001, 15",  // +Inf
    })
    void measuredDurationsLandInTheirBucket(long nanos, int bucket) {
        DurationHistogram h = new DurationHistogram();
        h.record(nanos);
        long[] counts = h.bucketCounts();
        assertThat(counts).hasSize(DurationHistogram.BOUNDS_SECONDS.length + 1);
        for (int b = 0; b < counts.length; b++) {
            assertThat(counts[b]).as("bucket %d", b).isEqualTo(b == bucket ? 1 : 0);
        }
        assertThat(h.count()).isEqualTo(1);
        assertThat(h.sumNanos()).isEqualTo(Math.max(0, nanos));
    }

    @Test
    void untimedObservationsAreCountedWithTheLastMeasuredDuration() {
        DurationHistogram h = new DurationHistogram();
        assertThat(h.hasMeasured()).isFalse();
        h.recordLikeLastMeasured(); // nothing measured yet: counted as 0
        h.record(3_000_000);        // 3 ms: bucket le=0.005
        h.recordLikeLastMeasured();
        h.recordLikeLastMeasured();
        h.record(200_000_000);      // 200 ms: bucket le=0.5
        h.recordLikeLastMeasured();

        assertThat(h.hasMeasured()).isTrue();
        assertThat(h.count()).isEqualTo(6);
        long[] counts = h.bucketCounts();
        assertThat(counts[0]).isEqualTo(1);
        assertThat(counts[3]).isEqualTo(3);
        assertThat(counts[7]).isEqualTo(2);
        assertThat(h.sumNanos()).isEqualTo(3 * 3_000_000L + 2 * 200_000_000L);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentRecordsKeepCountAndSumConsistentWithTheBuckets() throws Exception {
        DurationHistogram h = new DurationHistogram();
        int perThread = 20_000;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            boolean virtual = i % 4 != 0;
            Runnable body = () -> {
                for (int n = 0; n < perThread; n++) {
                    if (n % 64 == 0) {
                        h.record(50_000); // always the first bucket
                        Thread.yield();
                    } else {
                        h.recordLikeLastMeasured();
                    }
                }
            };
            threads.add(virtual ? Thread.ofVirtual().start(body) : Thread.ofPlatform().start(body));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(h.count()).isEqualTo(32L * perThread);
        assertThat(h.bucketCounts()[0]).isEqualTo(32L * perThread);
        assertThat(h.sumNanos()).isEqualTo(32L * perThread * 50_000);
    }
}
