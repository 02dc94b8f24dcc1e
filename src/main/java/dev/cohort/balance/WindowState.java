package dev.cohort.balance;

import dev.cohort.control.RewardTerms;
import dev.cohort.control.TickRecord;

/**
 * What the balancer knows of one balancer step (a window of ticks): the means over its ticks of the reward's terms that
 * move with power, and the λ the policy saw.
 *
 * @param powerShare     package power / TDP (the reward's E: measured, or estimated where the host has no RAPL)
 * @param latencyPenalty the reward's L: how far the services were over their SLO (0 when inside)
 * @param progress       the reward's P: best-effort work done as a share of unthrottled
 * @param stall          the reward's S: memory-stall share of cycles
 * @param lambda         the mean λ over the window
 */
public record WindowState(double powerShare, double latencyPenalty, double progress, double stall, double lambda) {

    /** Sums ticks into a window's means. Not thread-safe. */
    public static final class Accumulator {
        private double power;
        private double latency;
        private double progress;
        private double stall;
        private double lambda;
        private int ticks;

        /** Adds a tick run at {@code lambda}. */
        public void add(TickRecord r, double lambda) {
            RewardTerms t = r.reward();
            power += t.energy();
            latency += t.latency();
            progress += t.progress();
            stall += t.stall();
            this.lambda += lambda;
            ticks++;
        }

        /** Sum of the power shares added since the last {@link #drain}. */
        public double powerSum() {
            return power;
        }

        /** Ticks added since the last {@link #drain}. */
        public int ticks() {
            return ticks;
        }

        /** The window's means, and starts the next window. */
        public WindowState drain() {
            double n = Math.max(1, ticks);
            var w = new WindowState(power / n, latency / n, progress / n, stall / n, lambda / n);
            power = latency = progress = stall = lambda = 0;
            ticks = 0;
            return w;
        }
    }
}
