package dev.cohort.learn.train;

import dev.cohort.harness.SimHarness;
import dev.cohort.learn.env.ScenarioSampler;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.policy.Policies;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How far the per-tick reward spreads on a training configuration's episodes, per training scenario: over all its
 * drawn variants together, and within each episode. A learner that standardises rewards by one deviation weighs each
 * episode's differences by it, so this says how loud each kind of episode is to the loss ({@code docs/results.md},
 * "What a level is worth"). Variants are drawn as training draws them, on training seeds (≥ 1000), under one policy.
 */
public final class RewardSpread {
    private RewardSpread() {
    }

    /**
     * One training scenario's spread.
     *
     * @param scenario its name in the configuration
     * @param overall  standard deviation of the per-tick reward over all its episodes together
     * @param within   each episode's own standard deviation, sorted
     */
    public record Figures(String scenario, double overall, double[] within) {
        public double withinMedian() {
            return within[within.length / 2];
        }
    }

    /** {@code episodes} variants of each of {@code cfg}'s training scenarios, {@code ticks} ticks each under {@code policy}. */
    public static List<Figures> measure(TrainConfig cfg, String policy, int episodes, int ticks) {
        List<Scenario> bases = TrainingScenarios.training(cfg);
        List<String> names = List.copyOf(cfg.scenarios().keySet());
        List<Figures> out = new ArrayList<>();
        for (int i = 0; i < bases.size(); i++) {
            var rng = new SplittableRandom(cfg.seed() * 7919 + i);
            double sum = 0;
            double sq = 0;
            long n = 0;
            double[] within = new double[episodes];
            for (int e = 0; e < episodes; e++) {
                Scenario v = ScenarioSampler.sample(bases.get(i), cfg.variation(), rng.split());
                long seed = TrainConfig.FIRST_TRAINING_SEED + e;
                double es = 0;
                double esq = 0;
                var p = Policies.create(policy, SimHarness.machine(v, seed).topology());
                try (SimHarness h = SimHarness.openOwning(v, seed, p, SimHarness.Options.evaluation())) {
                    h.step(); // the first tick's reward is of the knobs as found
                    for (int t = 1; t < ticks; t++) {
                        double r = h.step().reward().reward();
                        es += r;
                        esq += r * r;
                    }
                }
                int m = ticks - 1;
                within[e] = Math.sqrt(Math.max(0, esq / m - (es / m) * (es / m)));
                sum += es;
                sq += esq;
                n += m;
            }
            Arrays.sort(within);
            out.add(new Figures(names.get(i), Math.sqrt(Math.max(0, sq / n - (sum / n) * (sum / n))), within));
        }
        return out;
    }
}
