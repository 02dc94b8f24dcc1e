package dev.cohort.control;

/**
 * Each agent's recent peak of one measured series (a frequency domain's frequency-invariant load): the highest value
 * seen, fading towards the present with time constant {@code tauSeconds}. A source that has just gone quiet after a
 * burst keeps its peak for tens of seconds, where a steady one's peak is its present load, so an agent can tell an
 * on/off source in its off period from a calm one, which the present load and a few seconds' spread cannot. Like
 * {@link LoadSpread}, a tick may be encoded more than once: each tick's value grows from the state the previous tick
 * left and becomes that state only when the next tick begins.
 */
final class LoadPeak {
    private static final long NONE = Long.MIN_VALUE;

    private final double tauSeconds;
    /** The peak as the last finished tick left it (NaN: no value yet). */
    private final double[] peak;
    /** The tick under way's peaks, committed when the next begins. */
    private final double[] nextPeak;
    private long current = NONE;

    LoadPeak(int agents, double tauSeconds) {
        this.tauSeconds = tauSeconds;
        peak = new double[agents];
        nextPeak = new double[agents];
        java.util.Arrays.fill(peak, Double.NaN);
        java.util.Arrays.fill(nextPeak, Double.NaN);
    }

    /** Starts tick {@code tick}: the tick before it, if another, becomes the state its peaks grow from. */
    void begin(long tick) {
        if (tick == current) {
            return;
        }
        if (current != NONE) {
            System.arraycopy(nextPeak, 0, peak, 0, peak.length);
        }
        current = tick;
    }

    /**
     * Agent {@code a}'s peak once this tick's value {@code x}, measured over {@code seconds}, is in: {@code x} itself,
     * or the earlier peak faded towards {@code x} by the tick's length where that is higher.
     */
    double peak(int a, double x, double seconds) {
        double before = peak[a];
        double faded = Double.isNaN(before) ? x : x + (before - x) * Math.exp(-Math.max(0, seconds) / tauSeconds);
        nextPeak[a] = Math.max(x, faded);
        return nextPeak[a];
    }

    /** A copy of the whole state, for a controller snapshot. */
    Saved save() {
        return new Saved(peak.clone(), nextPeak.clone(), current);
    }

    /** Puts back a state {@link #save} took. */
    void restore(Saved s) {
        System.arraycopy(s.peak, 0, peak, 0, peak.length);
        System.arraycopy(s.nextPeak, 0, nextPeak, 0, nextPeak.length);
        current = s.current;
    }

    /** An immutable copy of a peak's state (its arrays are never handed out). */
    record Saved(double[] peak, double[] nextPeak, long current) {
    }
}
