package dev.cohort.learn.train;

import java.util.Locale;

/**
 * A linear decay of the learning rate over a run's ticks ({@code optimiser.lrEnd}, {@code optimiser.lrDecayTicks}): the
 * configured rate at the first update, falling linearly to {@code endScale} times it at {@code ticks} environment ticks,
 * held after. A function of the ticks collected, so a resumed run decays exactly as an uninterrupted one; late updates
 * move the weights less, which is what a run whose score swings between evaluations asks for.
 *
 * @param endScale the rate at the end of the decay as a share of the configured rate, in (0, 1]; 1: no decay
 * @param ticks    environment ticks over which it falls
 */
public record LrDecay(double endScale, long ticks) {
    /** No decay. */
    public static final LrDecay NONE = new LrDecay(1, 0);

    public LrDecay {
        if (!(endScale > 0 && endScale <= 1) || ticks < 0 || endScale < 1 && ticks == 0) {
            throw new IllegalArgumentException("a learning-rate decay falls to (0, 1] of the rate over > 0 ticks, got "
                    + endScale + " over " + ticks);
        }
    }

    /** Whether the rate decays at all. */
    public boolean on() {
        return endScale < 1;
    }

    /** The learning rate's scale after {@code envSteps} ticks. */
    public double scaleAt(long envSteps) {
        if (!on()) {
            return 1;
        }
        double progress = Math.min(1, (double) envSteps / ticks);
        return 1 - (1 - endScale) * progress;
    }

    @Override
    public String toString() {
        return on() ? String.format(Locale.ROOT, "learning rate to %s of it over %d ticks", endScale, ticks) : "none";
    }
}
