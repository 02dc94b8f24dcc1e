package dev.cohort.platform.sim;

import java.util.Arrays;

/**
 * The earliest of n times, kept current in O(log n) per change (a tournament tree over the leaves): a
 * service's next completion among its cores, without scanning every core at every event. Ties go to the
 * lower index, so results are deterministic. Allocation-free after construction.
 */
final class MinTree {
    private final int leaves;
    private final double[] time;
    /** winner[k] = the leaf with the earliest time under node k; leaves sit at {@code leaves + i}. */
    private final int[] winner;

    /** A tree over {@code n} entries, all at +infinity. */
    MinTree(int n) {
        int l = 1;
        while (l < n) {
            l <<= 1;
        }
        leaves = l;
        time = new double[l];
        Arrays.fill(time, Double.POSITIVE_INFINITY);
        winner = new int[2 * l];
        for (int i = 0; i < l; i++) {
            winner[l + i] = i;
        }
        rebuild();
    }

    /** Takes every time and winner of {@code other}, a tree of the same size. */
    void copyFrom(MinTree other) {
        System.arraycopy(other.time, 0, time, 0, time.length);
        System.arraycopy(other.winner, 0, winner, 0, winner.length);
    }

    /** The time of entry {@code i}. */
    double time(int i) {
        return time[i];
    }

    /** Sets entry {@code i} and updates its path to the root. */
    void set(int i, double t) {
        time[i] = t;
        for (int k = (leaves + i) >> 1; k >= 1; k >>= 1) {
            winner[k] = pick(k);
        }
    }

    /** Sets entry {@code i} without updating the tree; call {@link #rebuild} after a batch of these. */
    void setQuietly(int i, double t) {
        time[i] = t;
    }

    /** Recomputes every internal node. */
    void rebuild() {
        for (int k = leaves - 1; k >= 1; k--) {
            winner[k] = pick(k);
        }
    }

    /** The entry with the earliest time (the lowest index among equals). */
    int minIndex() {
        return leaves == 1 ? 0 : winner[1];
    }

    /** The earliest time. */
    double minTime() {
        return time[minIndex()];
    }

    private int pick(int k) {
        int a = winner[2 * k];
        int b = winner[2 * k + 1];
        return time[a] <= time[b] ? a : b;
    }
}
