package dev.cohort.platform;

import java.util.Arrays;

/**
 * A cumulative, log-linear histogram of request latencies in nanoseconds: exact below 128 ns, then 64
 * sub-buckets per power of two (relative bucket width 1/64, so a quantile is within about 0.8% when read
 * at the bucket's middle). Values above about 137 s land in the last bucket. Recording does not allocate.
 * Interval quantiles come from the difference of two snapshots ({@link #minus}). Not thread-safe.
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    private static final int MAX_MSB = 36;
    /** Number of buckets. */
    public static final int BUCKETS = (MAX_MSB - SUB_BITS + 2) * SUB;

    private final long[] counts;
    private long count;
    private long sumNanos;
    private int highest = -1;

    public LatencyHistogram() {
        this.counts = new long[BUCKETS];
    }

    private LatencyHistogram(long[] counts, long count, long sumNanos, int highest) {
        this.counts = counts;
        this.count = count;
        this.sumNanos = sumNanos;
        this.highest = highest;
    }

    static int index(long nanos) {
        if (nanos < 2L * SUB) {
            return (int) Math.max(0, nanos);
        }
        int msb = 63 - Long.numberOfLeadingZeros(nanos);
        if (msb > MAX_MSB) {
            return BUCKETS - 1;
        }
        int shift = msb - SUB_BITS;
        return (shift + 1) * SUB + (int) ((nanos >>> shift) - SUB);
    }

    /** Smallest value that lands in bucket {@code i}. */
    static long lowerBound(int i) {
        if (i < 2 * SUB) {
            return i;
        }
        int shift = i / SUB - 1;
        return ((long) (i % SUB) + SUB) << shift;
    }

    /** Width of bucket {@code i} in nanoseconds. */
    static long width(int i) {
        return i < 2 * SUB ? 1 : 1L << (i / SUB - 1);
    }

    /** Records one request. Negative values count as 0. */
    public void record(long nanos) {
        int i = index(nanos);
        counts[i]++;
        count++;
        sumNanos += Math.max(0, nanos);
        if (i > highest) {
            highest = i;
        }
    }

    /** Number of requests recorded. */
    public long count() {
        return count;
    }

    /** Mean latency, or NaN with no requests. */
    public double meanNanos() {
        return count == 0 ? Double.NaN : (double) sumNanos / count;
    }

    /**
     * The latency at quantile {@code q} in (0, 1]: the middle of the bucket holding the ceil(q·count)-th
     * request. NaN when there are no requests.
     */
    public double quantileNanos(double q) {
        if (count == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (int i = 0; i <= highest; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return lowerBound(i) + (width(i) - 1) / 2.0;
            }
        }
        return lowerBound(highest);
    }

    /** An independent copy. */
    public LatencyHistogram copy() {
        return new LatencyHistogram(counts.clone(), count, sumNanos, highest);
    }

    /** Makes this histogram hold exactly what {@code other} holds, without allocating. */
    public void copyFrom(LatencyHistogram other) {
        // above both highest buckets both hold zeros: the rest need not be touched
        int top = Math.max(highest, other.highest);
        System.arraycopy(other.counts, 0, counts, 0, top + 1);
        count = other.count;
        sumNanos = other.sumNanos;
        highest = other.highest;
    }

    /** The requests recorded since {@code earlier}, a snapshot of this same histogram. */
    public LatencyHistogram minus(LatencyHistogram earlier) {
        long[] d = new long[BUCKETS];
        int hi = -1;
        for (int i = 0; i <= highest; i++) {
            d[i] = counts[i] - earlier.counts[i];
            if (d[i] < 0) {
                throw new IllegalArgumentException("LatencyHistogram.minus(): the earlier snapshot is not earlier");
            }
            if (d[i] != 0) {
                hi = i;
            }
        }
        return new LatencyHistogram(d, count - earlier.count, sumNanos - earlier.sumNanos, hi);
    }

    /** Adds every request of {@code other} to this histogram. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i <= other.highest; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        sumNanos += other.sumNanos;
        highest = Math.max(highest, other.highest);
    }

    /** Forgets every request. */
    public void clear() {
        Arrays.fill(counts, 0, highest + 1, 0);
        count = 0;
        sumNanos = 0;
        highest = -1;
    }
}
