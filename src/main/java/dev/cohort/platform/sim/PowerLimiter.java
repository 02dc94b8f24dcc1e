package dev.cohort.platform.sim;

/**
 * The simulated machine's RAPL long-term power limit (PL1), per package. The hardware keeps a running average of
 * package power over the limit's time window and, when the average would pass the limit, lowers every core's
 * frequency; when there is room again it raises them. Emulated the same way: each step the average moves by
 * {@code (P − avg)·dt/window} (an exponential average whose time constant is the window), the power that would bring
 * the average to the limit within one window is allowed, and the package's frequency ceiling moves one level: down
 * while the step's power is above that allowance, up while the next level's predicted power fits under it (dynamic
 * power scaled by {@code V²·f}, leakage by {@code V}). It dithers between two adjacent levels around the limit, as
 * the hardware does between P-states. The ceiling applies under whatever the OS asked for (cpufreq limits only
 * lower it further). A package without a limit runs at the OS's frequencies and tracks no average.
 */
final class PowerLimiter {
    /** What the window may be, µs: the hardware's range for PL1 is about 1 ms to 40 s. */
    static final long MIN_WINDOW_USEC = 1_000;
    static final long MAX_WINDOW_USEC = 40_000_000;
    /** The window of a package with no limit set, µs (a common server default). */
    static final long DEFAULT_WINDOW_USEC = 1_000_000;

    /** Per package: the limit in W (NaN: none), its window, the running average and the frequency ceiling's level. */
    final double[] limitWatts;
    final long[] windowUsec;
    final double[] averageWatts;
    final int[] ceilingLevel;

    PowerLimiter(int sockets, int levels) {
        limitWatts = new double[sockets];
        windowUsec = new long[sockets];
        averageWatts = new double[sockets];
        ceilingLevel = new int[sockets];
        java.util.Arrays.fill(limitWatts, Double.NaN);
        java.util.Arrays.fill(windowUsec, DEFAULT_WINDOW_USEC);
        java.util.Arrays.fill(ceilingLevel, levels - 1);
    }

    void copyFrom(PowerLimiter o) {
        System.arraycopy(o.limitWatts, 0, limitWatts, 0, limitWatts.length);
        System.arraycopy(o.windowUsec, 0, windowUsec, 0, windowUsec.length);
        System.arraycopy(o.averageWatts, 0, averageWatts, 0, averageWatts.length);
        System.arraycopy(o.ceilingLevel, 0, ceilingLevel, 0, ceilingLevel.length);
    }

    /** Whether package {@code s} has a limit. */
    boolean limited(int s) {
        return !Double.isNaN(limitWatts[s]);
    }

    /**
     * Sets package {@code s}'s limit (NaN: none) and window. A new limit starts its average from the present power, as
     * if the package had drawn it for a whole window; removing the limit lifts the ceiling at once.
     */
    void set(int s, double watts, long windowUs, double presentWatts, int topLevel) {
        if (!limited(s) && !Double.isNaN(watts)) {
            averageWatts[s] = presentWatts;
        }
        limitWatts[s] = watts;
        windowUsec[s] = windowUs;
        if (Double.isNaN(watts)) {
            ceilingLevel[s] = topLevel;
        }
    }

    /**
     * After a step: updates package {@code s}'s average with the step's power and moves its ceiling one level if
     * needed. Returns whether the ceiling moved.
     *
     * @param watts     the package's power in the step just taken, W
     * @param upWatts   the package's predicted power one level higher, W
     * @param stepNanos the step's length
     * @param topLevel  the highest level's index
     */
    boolean control(int s, double watts, double upWatts, long stepNanos, int topLevel) {
        if (!limited(s)) {
            return false;
        }
        double decay = Math.exp(-stepNanos / (windowUsec[s] * 1e3));
        averageWatts[s] = watts + (averageWatts[s] - watts) * decay;
        // The constant power that takes the average to the limit in one window.
        double oneWindow = Math.exp(-1.0);
        double allowed = (limitWatts[s] - averageWatts[s] * oneWindow) / (1 - oneWindow);
        if (watts > allowed && ceilingLevel[s] > 0) {
            ceilingLevel[s]--;
            return true;
        }
        if (ceilingLevel[s] < topLevel && upWatts <= allowed) {
            ceilingLevel[s]++;
            return true;
        }
        return false;
    }
}
