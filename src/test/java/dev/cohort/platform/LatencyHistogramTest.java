package dev.cohort.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void bucketsAreContiguous() {
        for (int i = 0; i < LatencyHistogram.BUCKETS - 1; i++) {
            assertEquals(LatencyHistogram.lowerBound(i) + LatencyHistogram.width(i), LatencyHistogram.lowerBound(i + 1), "bucket " + i);
            assertEquals(i, LatencyHistogram.index(LatencyHistogram.lowerBound(i)));
        }
    }

    @Test
    void quantilesMatchSortedSamplesWithinOnePercent() {
        var rnd = new SplittableRandom(7);
        var h = new LatencyHistogram();
        long[] v = new long[100_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (long) (-Math.log(1 - rnd.nextDouble()) * 2_000_000); // exponential, mean 2 ms
            h.record(v[i]);
        }
        Arrays.sort(v);
        for (double q : new double[]{0.5, 0.95, 0.99, 0.999}) {
            double exact = v[(int) Math.ceil(q * v.length) - 1];
            assertEquals(exact, h.quantileNanos(q), exact * 0.01, "q=" + q);
        }
    }

    @Test
    void intervalHistogramHoldsOnlyNewRequests() {
        var h = new LatencyHistogram();
        for (int i = 0; i < 1000; i++) {
            h.record(1_000_000);
        }
        var before = h.copy();
        for (int i = 0; i < 100; i++) {
            h.record(50_000_000);
        }
        var d = h.minus(before);
        assertEquals(100, d.count());
        assertEquals(50_000_000, d.quantileNanos(0.5), 50_000_000 * 0.01);
        assertTrue(h.quantileNanos(0.5) < 2_000_000, "whole-run median is still the fast requests");
    }
}
