package dev.cohort.service.status;

import java.util.Arrays;

/**
 * Tick statistics for status and benchmarks: counts, overruns, and the durations of the last {@code capacity}
 * ticks (sense + decide + act; a simulator's step excluded), from which percentiles are computed on request.
 * Recording is allocation-free. Thread-safe.
 */
public final class TickStats {
    private final long[] ring;
    private final long[] cpuRing;
    private long count;
    private long overruns;
    private long maxNanos;
    private long totalNanos;

    public TickStats(int capacity) {
        this.ring = new long[capacity];
        this.cpuRing = new long[capacity];
    }

    /** Records one tick's duration (wall clock) and the CPU time its thread spent in it (-1 when unknown). */
    public synchronized void record(long nanos, long cpuNanos) {
        cpuRing[(int) (count % ring.length)] = cpuNanos;
        ring[(int) (count % ring.length)] = nanos;
        count++;
        totalNanos += nanos;
        if (nanos > maxNanos) {
            maxNanos = nanos;
        }
    }

    /** Forgets everything recorded so far (a benchmark's warm-up). */
    public synchronized void reset() {
        count = 0;
        overruns = 0;
        maxNanos = 0;
        totalNanos = 0;
    }

    /** Adds skipped deadlines. */
    public synchronized void overrun(long n) {
        overruns += n;
    }

    /** A consistent copy of the figures. */
    public synchronized Summary summary() {
        int n = (int) Math.min(count, ring.length);
        long[] d = Arrays.copyOf(ring, n);
        Arrays.sort(d);
        long[] c = Arrays.copyOf(cpuRing, n);
        Arrays.sort(c);
        return new Summary(count, overruns, pct(d, 0.50), pct(d, 0.99), maxNanos, n == 0 ? 0 : mean(d), totalNanos, n,
                pct(c, 0.50), pct(c, 0.99));
    }

    private static long pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static long mean(long[] d) {
        long s = 0;
        for (long x : d) {
            s += x;
        }
        return s / d.length;
    }

    /**
     * @param count      ticks run
     * @param overruns   deadlines skipped
     * @param p50Nanos   median of the recent window
     * @param p99Nanos   99th percentile of the recent window
     * @param maxNanos   longest tick since start
     * @param meanNanos  mean of the recent window
     * @param totalNanos sum of every tick's duration since start
     * @param window     ticks in the recent window
     * @param cpuP50Nanos median CPU time of the loop thread per tick (the wall time less waiting for a CPU)
     * @param cpuP99Nanos 99th percentile of it
     */
    public record Summary(long count, long overruns, long p50Nanos, long p99Nanos, long maxNanos, long meanNanos,
                          long totalNanos, int window, long cpuP50Nanos, long cpuP99Nanos) {
    }
}
