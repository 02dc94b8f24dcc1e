package dev.cohort.learn.replay;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Reward standardisation (EPyMARL's {@code standardise_rewards}): running mean and variance of every reward
 * collected so far (Welford), and {@code (r − mean) / std} when a batch is built. In a continuing task a constant
 * shift only moves every value by the same amount, so the greedy policy is unchanged; the scaling keeps the
 * TD targets near unit size whatever the reward weights. Off: rewards pass through unchanged.
 */
public final class RewardScaler {
    private final boolean on;
    private long n;
    private double mean;
    private double m2;

    public RewardScaler(boolean on) {
        this.on = on;
    }

    /** Adds collected rewards to the statistics. */
    public void observe(float[] rewards) {
        for (float r : rewards) {
            n++;
            double d = r - mean;
            mean += d / n;
            m2 += d * (r - mean);
        }
    }

    /** The standardised reward (the raw one when off or before two rewards were seen). */
    public float scale(float r) {
        if (!on || n < 2) {
            return r;
        }
        double sd = Math.sqrt(m2 / (n - 1));
        return (float) ((r - mean) / Math.max(sd, 1e-6));
    }

    public boolean on() {
        return on;
    }

    /**
     * What {@link #scale} divides by: the standard deviation once two rewards were seen and scaling is on, else 1. A
     * value learnt on scaled rewards times this is in the rewards' own units.
     */
    public double unit() {
        return !on || n < 2 ? 1 : Math.max(std(), 1e-6);
    }

    public double mean() {
        return mean;
    }

    public double std() {
        return n < 2 ? 0 : Math.sqrt(m2 / (n - 1));
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeBoolean(on);
        out.writeLong(n);
        out.writeDouble(mean);
        out.writeDouble(m2);
    }

    /** Reads a scaler {@link #write} wrote. */
    public static RewardScaler readFrom(DataInputStream in) throws IOException {
        RewardScaler s = new RewardScaler(in.readBoolean());
        s.n = in.readLong();
        s.mean = in.readDouble();
        s.m2 = in.readDouble();
        return s;
    }
}
