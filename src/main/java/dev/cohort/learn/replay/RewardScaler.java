package dev.cohort.learn.replay;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Reward standardisation (EPyMARL's {@code standardise_rewards}): running mean and variance of every reward
 * collected so far (Welford), and {@code (r − mean) / std} when a batch is built. In a continuing task a constant
 * shift only moves every value by the same amount, so the greedy policy is unchanged; the scaling keeps the
 * TD targets near unit size whatever the reward weights. Off: rewards pass through unchanged. {@link #perScenario}
 * adds recent statistics per training scenario, by which each scenario's rewards are then standardised.
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

    /** Rewards a scenario's statistics reach back over ({@link Recent}). */
    public static final int SCENARIO_WINDOW = 10_000;

    /**
     * Per training scenario (by index), recent statistics of its own rewards beside the run's: with them
     * {@link #scale(int, float)} and {@link #unit(int)} standardise a scenario's rewards by its own mean and deviation.
     * Null: the run's for all.
     */
    private Recent[] byScenario;

    /**
     * A mean and variance over about the last {@link #SCENARIO_WINDOW} rewards (exponentially weighted, as PopArt's
     * statistics): a scenario's rewards change scale as the policy learns (a random policy misses the SLO where a
     * trained one never does), and statistics over the whole run would keep the exploring policy's scale for good.
     */
    private static final class Recent {
        long n;
        double mean;
        double var;

        void observe(float[] rewards) {
            for (float r : rewards) {
                n++;
                double w = Math.max(1.0 / n, 1.0 / SCENARIO_WINDOW);
                double d = r - mean;
                mean += w * d;
                var = (1 - w) * (var + w * d * d);
            }
        }
    }

    /** Keeps statistics per scenario too ({@code learning.standardiseRewards: perScenario}); returns this. */
    public RewardScaler perScenario() {
        if (byScenario == null) {
            byScenario = new Recent[0];
        }
        return this;
    }

    /** True when rewards are standardised per scenario. */
    public boolean scaledPerScenario() {
        return byScenario != null;
    }

    /** Adds rewards of scenario {@code sc} to the run's statistics and, per scenario, to its own. */
    public void observe(int sc, float[] rewards) {
        observe(rewards);
        if (byScenario != null) {
            own(sc).observe(rewards);
        }
    }

    /**
     * Scenario {@code sc}'s reward standardised: by its own recent statistics once it has {@value #MIN_OWN} rewards,
     * else by the run's.
     */
    public float scale(int sc, float r) {
        Recent s = ownIfKnown(sc);
        return s == null ? scale(r) : (float) ((r - s.mean) / Math.max(Math.sqrt(s.var), 1e-6));
    }

    /** What {@link #scale(int, float)} divides by for scenario {@code sc}. */
    public double unit(int sc) {
        Recent s = ownIfKnown(sc);
        return s == null ? unit() : Math.max(Math.sqrt(s.var), 1e-6);
    }

    /** Rewards a scenario needs before its own statistics are used. */
    private static final int MIN_OWN = 100;

    private Recent ownIfKnown(int sc) {
        if (!on || byScenario == null || sc < 0 || sc >= byScenario.length || byScenario[sc] == null
                || byScenario[sc].n < MIN_OWN) {
            return null;
        }
        return byScenario[sc];
    }

    private Recent own(int sc) {
        if (sc < 0) {
            throw new IllegalArgumentException("scenario index " + sc);
        }
        if (sc >= byScenario.length) {
            byScenario = java.util.Arrays.copyOf(byScenario, sc + 1);
        }
        if (byScenario[sc] == null) {
            byScenario[sc] = new Recent();
        }
        return byScenario[sc];
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeBoolean(on);
        out.writeLong(n);
        out.writeDouble(mean);
        out.writeDouble(m2);
    }

    /** Writes the per-scenario statistics (after {@link #write}; checkpoint format 8): their count, −1 when off, then each. */
    public void writeScenarios(DataOutputStream out) throws IOException {
        out.writeInt(byScenario == null ? -1 : byScenario.length);
        if (byScenario != null) {
            for (Recent s : byScenario) {
                Recent r = s == null ? new Recent() : s;
                out.writeLong(r.n);
                out.writeDouble(r.mean);
                out.writeDouble(r.var);
            }
        }
    }

    /** Reads what {@link #writeScenarios} wrote into this scaler. */
    public void readScenarios(DataInputStream in) throws IOException {
        int n = in.readInt();
        byScenario = n < 0 ? null : new Recent[n];
        for (int i = 0; i < n; i++) {
            byScenario[i] = new Recent();
            byScenario[i].n = in.readLong();
            byScenario[i].mean = in.readDouble();
            byScenario[i].var = in.readDouble();
        }
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
