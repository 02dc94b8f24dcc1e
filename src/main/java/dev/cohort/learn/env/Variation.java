package dev.cohort.learn.env;

import dev.cohort.platform.Readable;
import java.util.ArrayList;
import java.util.List;

/**
 * How far a training scenario may be moved away from the file it comes from, so that policies do not overfit
 * one configuration. Spreads are relative: a value {@code s} multiplies the quantity by a factor drawn uniformly
 * from {@code [1 − s, 1 + s]}. Beyond the spreads, an episode may draw another machine size, an SLO and a load level
 * from ranges, another best-effort mix and a bursty arrival profile. Zero everywhere (and no sizes, the mix as
 * written) leaves the scenario as it is.
 *
 * @param load            services' arrival rates (each rate of a profile drawn separately), capped at {@code maxLoad}
 * @param maxLoad         highest load (share of a service's cores busy at the top frequency, unloaded memory) a
 *                        drawn profile may reach
 * @param slo             services' latency targets (a spread; unused when {@code sloMax > 0})
 * @param requestMemory   LLC misses per request (how memory-bound the services are)
 * @param batch           batch jobs' instructions per cycle and misses per thousand instructions
 * @param memoryPeak      the sockets' sustained memory bandwidth
 * @param maxFrequency    the top frequency (snapped to the frequency step, kept at least two steps above the bottom)
 * @param diurnalPeriodMinSeconds shortest period of a diurnal profile (0 keeps the file's period)
 * @param diurnalPeriodMaxSeconds longest period of a diurnal profile
 * @param diurnalRandomPhase start a diurnal profile at a random point of its cycle (so short episodes see every part
 *                           of a long cycle): the profile becomes a piecewise-constant one in half-second steps
 * @param machineSizes    sizes an episode's machine is drawn from, uniformly among those the scenario fits
 *                        ({@link Resize}); empty keeps the file's machine
 * @param sloMin          lowest factor on each service's SLO, drawn log-uniformly from [sloMin, sloMax] (0, 0: off)
 * @param sloMax          highest SLO factor
 * @param loadScaleMin    lowest factor on all of a service's rates together (its load level), drawn uniformly per
 *                        service from [loadScaleMin, loadScaleMax] before the {@code load} spread and the cap (0, 0: off)
 * @param loadScaleMax    highest load level factor
 * @param batchMix        weights of the best-effort mixes ({@link BatchMix})
 * @param burstyShare     probability that a service's rate profile (not a trace) is replaced by a bursty one
 * @param burstyPareto    share of those bursty profiles whose on and off durations are Pareto (heavy-tailed), not
 *                        exponential
 * @param asWrittenShare  probability that an episode runs its file exactly as written, none of the above drawn (so the
 *                        distribution keeps the files' own calm cases beside their variants)
 */
public record Variation(double load, double maxLoad, double slo, double requestMemory, double batch, double memoryPeak,
                        double maxFrequency, double diurnalPeriodMinSeconds, double diurnalPeriodMaxSeconds,
                        boolean diurnalRandomPhase, List<MachineSize> machineSizes, double sloMin, double sloMax,
                        double loadScaleMin, double loadScaleMax, BatchMix batchMix, double burstyShare, double burstyPareto,
                        double asWrittenShare) {
    /** No variation: every episode runs the scenario as written. */
    public static final Variation NONE = new Variation(0, 10, 0, 0, 0, 0, 0, 0, 0, false);

    /** The spreads alone: the file's machine, SLO ranges and load levels off, the jobs as written, no bursty swaps. */
    public Variation(double load, double maxLoad, double slo, double requestMemory, double batch, double memoryPeak,
                     double maxFrequency, double diurnalPeriodMinSeconds, double diurnalPeriodMaxSeconds, boolean diurnalRandomPhase) {
        this(load, maxLoad, slo, requestMemory, batch, memoryPeak, maxFrequency, diurnalPeriodMinSeconds, diurnalPeriodMaxSeconds,
                diurnalRandomPhase, List.of(), 0, 0, 0, 0, BatchMix.AS_WRITTEN, 0, 0, 0);
    }

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
        factorRange("SLO", sloMin, sloMax);
        factorRange("load level", loadScaleMin, loadScaleMax);
        if (!(burstyShare >= 0 && burstyShare <= 1 && burstyPareto >= 0 && burstyPareto <= 1)) {
            throw new IllegalArgumentException("bursty shares must be in [0, 1], got " + burstyShare + " and " + burstyPareto);
        }
        if (!(asWrittenShare >= 0 && asWrittenShare <= 1)) {
            throw new IllegalArgumentException("the share of episodes as written must be in [0, 1], got " + asWrittenShare);
        }
        machineSizes = List.copyOf(machineSizes);
        java.util.Objects.requireNonNull(batchMix, "batchMix");
    }

    /** This variation widened: machine sizes, SLO and load-level ranges, best-effort mixes and bursty swaps. */
    public Variation widened(List<MachineSize> sizes, double[] sloRange, double[] loadScale, BatchMix mix, double bursty,
                             double pareto) {
        return new Variation(load, maxLoad, slo, requestMemory, batch, memoryPeak, maxFrequency, diurnalPeriodMinSeconds,
                diurnalPeriodMaxSeconds, diurnalRandomPhase, sizes, sloRange[0], sloRange[1], loadScale[0], loadScale[1], mix, bursty,
                pareto, asWrittenShare);
    }

    /** This variation with a share of its episodes run as written. */
    public Variation withAsWritten(double share) {
        return new Variation(load, maxLoad, slo, requestMemory, batch, memoryPeak, maxFrequency, diurnalPeriodMinSeconds,
                diurnalPeriodMaxSeconds, diurnalRandomPhase, machineSizes, sloMin, sloMax, loadScaleMin, loadScaleMax, batchMix,
                burstyShare, burstyPareto, share);
    }

    /** The spreads alone: the files' machines, SLOs, load levels, best-effort mixes and profiles. */
    public Variation spreadsOnly() {
        return new Variation(load, maxLoad, slo, requestMemory, batch, memoryPeak, maxFrequency, diurnalPeriodMinSeconds,
                diurnalPeriodMaxSeconds, diurnalRandomPhase);
    }

    private static void factorRange(String what, double min, double max) {
        if (!(min == 0 && max == 0) && !(min > 0 && min <= max && max < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(what + " factor range must be 0 < min ≤ max (or 0, 0 for off), got " + min + ".." + max);
        }
    }

    /**
     * The variation for people, as reports and messages print it: "none", or each spread that is set, e.g.
     * {@code load ±30% (at most 95% busy), SLO ±20%, top frequency ±10%, diurnal period 60 s–10 min, random phase}.
     */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (load > 0) {
            parts.add("load ±" + Readable.share(load) + " (at most " + Readable.share(maxLoad) + " busy)");
        }
        if (loadScaleMax > 0) {
            parts.add("load level ×" + Readable.number(loadScaleMin) + "–" + Readable.number(loadScaleMax));
        }
        spread(parts, "SLO", sloMax > 0 ? 0 : slo);
        if (sloMax > 0) {
            parts.add("SLO ×" + Readable.number(sloMin) + "–" + Readable.number(sloMax) + " (log-uniform)");
        }
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
        if (!machineSizes.isEmpty()) {
            parts.add("machines " + String.join(", ", machineSizes.stream().map(MachineSize::toString).toList()));
        }
        if (batchMix.varies()) {
            parts.add("best-effort mix " + batchMix);
        }
        if (burstyShare > 0) {
            parts.add("bursty arrivals " + Readable.share(burstyShare) + " (heavy-tailed " + Readable.share(burstyPareto) + ")");
        }
        if (asWrittenShare > 0 && !parts.isEmpty()) {
            parts.add(Readable.share(asWrittenShare) + " of episodes as written");
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static void spread(List<String> parts, String what, double s) {
        if (s > 0) {
            parts.add(what + " ±" + Readable.share(s));
        }
    }
}
