package dev.cohort.platform;

/**
 * Undoes the wraparound of a RAPL-style energy counter that runs from 0 to {@code maxRangeUj} and starts
 * again at 0. Feed it every raw reading in order; it returns the energy since the first reading, in µJ.
 * Sample more often than once per wrap period, or a double wrap goes unseen (powercap: about 60 s at full
 * power on Intel). Not thread-safe.
 */
public final class EnergyCounter {
    private final long maxRangeUj;
    private long lastRawUj = -1;
    private long totalUj;
    private long wraps;

    /** @param maxRangeUj the counter's range ({@code max_energy_range_uj}); must be positive */
    public EnergyCounter(long maxRangeUj) {
        if (maxRangeUj <= 0) {
            throw new IllegalArgumentException("EnergyCounter: max_energy_range_uj must be positive, got " + maxRangeUj);
        }
        this.maxRangeUj = maxRangeUj;
    }

    /**
     * Takes {@code other}'s last reading, total and wraps (a simulated machine's snapshot or its restore).
     *
     * @throws IllegalArgumentException when {@code other} counts over another range
     */
    public void copyFrom(EnergyCounter other) {
        if (other.maxRangeUj != maxRangeUj) {
            throw new IllegalArgumentException("EnergyCounter.copyFrom(): range " + other.maxRangeUj + " µJ, this counter's is "
                    + maxRangeUj + " µJ");
        }
        lastRawUj = other.lastRawUj;
        totalUj = other.totalUj;
        wraps = other.wraps;
    }

    /**
     * Takes the next raw reading and returns the cumulative energy since the first one.
     * A reading below the previous one is a wrap: the delta is {@code (max - prev) + cur}.
     */
    public long update(long rawUj) {
        if (lastRawUj >= 0) {
            long delta = rawUj >= lastRawUj ? rawUj - lastRawUj : (maxRangeUj - lastRawUj) + rawUj;
            if (rawUj < lastRawUj) {
                wraps++;
            }
            totalUj += delta;
        }
        lastRawUj = rawUj;
        return totalUj;
    }

    /** Cumulative energy since the first reading, µJ. */
    public long totalUj() {
        return totalUj;
    }

    /** How many wraps were undone. */
    public long wraps() {
        return wraps;
    }

    public long maxRangeUj() {
        return maxRangeUj;
    }
}
