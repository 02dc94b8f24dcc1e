package dev.cohort.learn.env;

import dev.cohort.platform.Readable;

/**
 * How far a training scenario may be moved away from the file it comes from, so that policies do not overfit
 * one configuration. Spreads are relative: a value {@code s} multiplies the quantity by a factor drawn uniformly
 * from {@code [1 − s, 1 + s]}. Zero everywhere leaves the scenario as it is.
 *
 * @param load            services' arrival rates (each rate of a profile drawn separately), capped at {@code maxLoad}
 * @param maxLoad         highest load (share of a service's cores busy at the top frequency, unloaded memory) a
 *                        drawn profile may reach
 * @param slo             services' latency targets
 * @param requestMemory   LLC misses per request (how memory-bound the services are)
 * @param batch           batch jobs' instructions per cycle and misses per thousand instructions
 * @param memoryPeak      the sockets' sustained memory bandwidth
 * @param maxFrequency    the top frequency (snapped to the frequency step, kept at least two steps above the bottom)
 * @param diurnalPeriodMinSeconds shortest period of a diurnal profile (0 keeps the file's period)
 * @param diurnalPeriodMaxSeconds longest period of a diurnal profile
 * @param diurnalRandomPhase start a diurnal profile at a random point of its cycle (so short episodes see every part
 *                           of a long cycle): the profile becomes a piecewise-constant one in half-second steps
 */
public record Variation(double load, double maxLoad, double slo, double requestMemory, double batch, double memoryPeak,
                        double maxFrequency, double diurnalPeriodMinSeconds, double diurnalPeriodMaxSeconds,
                        boolean diurnalRandomPhase) {
    /** No variation: every episode runs the scenario as written. */
    public static final Variation NONE = new Variation(0, 10, 0, 0, 0, 0, 0, 0, 0, false);

    public Variation {
        for (double s : new double[]{load, slo, requestMemory, batch, memoryPeak, maxFrequency}) {
            if (!(s >= 0 && s < 1)) {
                throw new IllegalArgumentException("a relative spread must be in [0, 1), got " + s);
            }
        }
        if (!(maxLoad > 0)) {
            throw new IllegalArgumentException("maxLoad must be positive, got " + maxLoad);
        }
        if (diurnalPeriodMinSeconds < 0 || diurnalPeriodMaxSeconds < diurnalPeriodMinSeconds) {
            throw new IllegalArgumentException("diurnal period range must be 0 ≤ min ≤ max, got " + diurnalPeriodMinSeconds
                    + ".." + diurnalPeriodMaxSeconds);
        }
    }

    /**
     * The variation for people, as reports and messages print it: "none", or each spread that is set, e.g.
     * {@code load ±30% (at most 95% busy), SLO ±20%, top frequency ±10%, diurnal period 60 s–10 min, random phase}.
     */
    @Override
    public String toString() {
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (load > 0) {
            parts.add("load ±" + Readable.share(load) + " (at most " + Readable.share(maxLoad) + " busy)");
        }
        spread(parts, "SLO", slo);
        spread(parts, "memory per request", requestMemory);
        spread(parts, "batch IPC and misses", batch);
        spread(parts, "memory bandwidth", memoryPeak);
        spread(parts, "top frequency", maxFrequency);
        if (diurnalPeriodMaxSeconds > 0) {
            parts.add("diurnal period " + Readable.seconds(diurnalPeriodMinSeconds) + "–" + Readable.seconds(diurnalPeriodMaxSeconds));
        }
        if (diurnalRandomPhase) {
            parts.add("diurnal phase random");
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static void spread(java.util.List<String> parts, String what, double s) {
        if (s > 0) {
            parts.add(what + " ±" + Readable.share(s));
        }
    }
}
