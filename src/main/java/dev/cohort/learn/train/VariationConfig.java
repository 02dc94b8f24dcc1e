package dev.cohort.learn.train;

import dev.cohort.learn.env.BatchMix;
import dev.cohort.learn.env.MachineSize;
import dev.cohort.learn.env.Variation;
import dev.cohort.platform.ConfigNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a training configuration's {@code variation:} section (keys and ranges: {@code docs/training.md} §1 and §5).
 * It refuses, naming the key and the fix, what would let training see a held-out scenario's distinguishing feature:
 * a machine of {@value TrainingScenarios#HELD_OUT_CPUS} CPUs or of more than {@value TrainingScenarios#MAX_CPUS}, and an
 * SLO factor above {@value #MAX_SLO_FACTOR}.
 */
public final class VariationConfig {
    /** The highest SLO factor training may draw: the held-out {@code loose-slo.yaml} runs at 2.5 × diurnal's. */
    static final double MAX_SLO_FACTOR = 2;

    private VariationConfig() {
    }

    /** The {@code variation:} section of {@code n} (empty when absent), checked as training checks it. */
    public static Variation read(ConfigNode n) {
        ConfigNode v = n.mapping("variation").allow("load", "maxLoad", "slo", "requestMemory", "batch", "memoryPeak",
                "maxFrequency", "diurnalPeriodSeconds", "diurnalRandomPhase", "machineSizes", "sloRange", "loadScale", "batchMix",
                "burstyShare", "burstyPareto", "asWrittenShare");
        double[] period = v.range("diurnalPeriodSeconds", new double[]{0, 0}, 0, 1e6);
        Variation spreads = new Variation(v.number("load", 0, 0, 0.9), v.number("maxLoad", 0.95, 0.05, 10),
                v.number("slo", 0, 0, 0.9), v.number("requestMemory", 0, 0, 0.9), v.number("batch", 0, 0, 0.9),
                v.number("memoryPeak", 0, 0, 0.9), v.number("maxFrequency", 0, 0, 0.5), period[0], period[1],
                v.bool("diurnalRandomPhase", false));
        double[] slo = v.range("sloRange", new double[]{0, 0}, 0.05, 100);
        if (v.has("sloRange")) {
            if (v.has("slo")) {
                throw v.error("sloRange", "give slo (a ±spread) or sloRange (a range of factors), not both: remove slo");
            }
            if (slo[1] > MAX_SLO_FACTOR) {
                throw v.error("sloRange", "at most " + (int) MAX_SLO_FACTOR + " (the held-out loose-slo.yaml runs at 2.5 × "
                        + "diurnal's SLO, a factor training never draws), got " + slo[1] + ": lower it to " + (int) MAX_SLO_FACTOR);
            }
        }
        ConfigNode mix = v.mapping("batchMix").allow("asWritten", "none", "cpu", "stream", "both");
        BatchMix batchMix = BatchMix.AS_WRITTEN;
        if (v.has("batchMix")) {
            try {
                batchMix = new BatchMix(mix.number("asWritten", 0, 0, 1e6), mix.number("none", 0, 0, 1e6),
                        mix.number("cpu", 0, 0, 1e6), mix.number("stream", 0, 0, 1e6), mix.number("both", 0, 0, 1e6));
            } catch (IllegalArgumentException e) {
                throw v.error("batchMix", e.getMessage());
            }
        }
        return spreads.widened(sizes(v), slo, v.range("loadScale", new double[]{0, 0}, 0.05, 10), batchMix,
                v.number("burstyShare", 0, 0, 1), v.number("burstyPareto", 0.5, 0, 1))
                .withAsWritten(v.number("asWrittenShare", 0, 0, 1));
    }

    /** {@code machineSizes}: none (the files' machines), or sizes of at most 32 CPUs, never 24. */
    private static List<MachineSize> sizes(ConfigNode v) {
        List<MachineSize> out = new ArrayList<>();
        for (String text : v.strings("machineSizes", List.of())) {
            MachineSize z;
            try {
                z = MachineSize.parse(text);
            } catch (IllegalArgumentException e) {
                throw v.error("machineSizes", e.getMessage());
            }
            if (z.cpus() == TrainingScenarios.HELD_OUT_CPUS) {
                throw v.error("machineSizes", z + " is " + z.cpus() + " CPUs, the held-out size (heldout/two-socket-24.yaml), which "
                        + "training never draws: remove it (e.g. 1x4, 1x8, 1x16, 1x32, 2x8, 2x16)");
            }
            if (z.cpus() > TrainingScenarios.MAX_CPUS) {
                throw v.error("machineSizes", z + " is " + z.cpus() + " CPUs, more than training's " + TrainingScenarios.MAX_CPUS
                        + " (large, 128 CPUs, is the test of scale): remove it");
            }
            out.add(z);
        }
        return out;
    }
}
