package dev.cohort.control;

/**
 * Each agent's recent spread of one measured series (a frequency domain's utilisation): the standard deviation of an
 * exponentially weighted window of time constant {@code tauSeconds}, so an agent can tell steady load from load that
 * comes in bursts. A tick may be encoded more than once (again with the estimated power), so each tick's values are
 * computed from the state the previous tick left and become that state only when the next tick begins.
 */
final class LoadSpread {
    private static final long NONE = Long.MIN_VALUE;

    private final double tauSeconds;
    /** State as the last finished tick left it. */
    private final double[] mean;
    private final double[] variance;
    private final boolean[] seen;
    /** The tick under way's values, committed when the next begins. */
    private final double[] nextMean;
    private final double[] nextVariance;
    private final boolean[] nextSeen;
    private long current = NONE;

    LoadSpread(int agents, double tauSeconds) {
        this.tauSeconds = tauSeconds;
        mean = new double[agents];
        variance = new double[agents];
        seen = new boolean[agents];
        nextMean = new double[agents];
        nextVariance = new double[agents];
        nextSeen = new boolean[agents];
    }

    /** Starts tick {@code tick}: the tick before it, if another, becomes the state its values grow from. */
    void begin(long tick) {
        if (tick == current) {
            return;
        }
        if (current != NONE) {
            System.arraycopy(nextMean, 0, mean, 0, mean.length);
            System.arraycopy(nextVariance, 0, variance, 0, variance.length);
            System.arraycopy(nextSeen, 0, seen, 0, seen.length);
        }
        current = tick;
    }

    /**
     * Agent {@code a}'s spread once this tick's value {@code x}, measured over {@code seconds}, is in the window (0 on
     * its first value; a tick of no length moves nothing).
     */
    double spread(int a, double x, double seconds) {
        if (!seen[a]) {
            nextMean[a] = x;
            nextVariance[a] = 0;
            nextSeen[a] = true;
            return 0;
        }
        double w = seconds > 0 ? -Math.expm1(-seconds / tauSeconds) : 0;
        double d = x - mean[a];
        nextMean[a] = mean[a] + w * d;
        nextVariance[a] = (1 - w) * (variance[a] + w * d * d);
        nextSeen[a] = true;
        return Math.sqrt(nextVariance[a]);
    }

    /** A copy of the whole state, for a controller snapshot. */
    Saved save() {
        return new Saved(mean.clone(), variance.clone(), seen.clone(), nextMean.clone(), nextVariance.clone(),
                nextSeen.clone(), current);
    }

    /** Puts back a state {@link #save} took. */
    void restore(Saved s) {
        System.arraycopy(s.mean, 0, mean, 0, mean.length);
        System.arraycopy(s.variance, 0, variance, 0, variance.length);
        System.arraycopy(s.seen, 0, seen, 0, seen.length);
        System.arraycopy(s.nextMean, 0, nextMean, 0, nextMean.length);
        System.arraycopy(s.nextVariance, 0, nextVariance, 0, nextVariance.length);
        System.arraycopy(s.nextSeen, 0, nextSeen, 0, nextSeen.length);
        current = s.current;
    }

    /** An immutable copy of a spread's state (its arrays are never handed out). */
    record Saved(double[] mean, double[] variance, boolean[] seen, double[] nextMean, double[] nextVariance,
                 boolean[] nextSeen, long current) {
    }
}
