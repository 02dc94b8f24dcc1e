package dev.cohort.harness.beststatic;

import dev.cohort.control.ControllerConfig;
import dev.cohort.control.GovernorConfig;
import dev.cohort.harness.SimHarness;
import dev.cohort.policy.Role;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * How best-static searches a scenario. Every field is part of the cache key: a result found with other settings is
 * never reused.
 *
 * @param seeds       the training seeds every finalist runs on (each at least {@link SimHarness#FIRST_TRAINING_SEED}:
 *                    the seeds policies are judged on are below it, so the rival is never fitted to them)
 * @param screenNanos stage 1's run length, simulated ns (the scenario's own when it is shorter)
 * @param finalists   how many of stage 1's best points stage 2 runs at full length on every seed
 * @param fullGridMax a grid of at most this many points skips stage 1: every point runs at full length on every seed
 * @param base        action levels, reward weights and λ ({@link ControllerConfig#DEFAULT}, as evaluate runs)
 * @param governor    the governor the runs are judged under ({@link GovernorConfig#EVALUATION}, as evaluate runs)
 * @param only        per role the levels to try instead of all of them (small grids for tests); empty for every level
 */
public record SearchSettings(List<Long> seeds, long screenNanos, int finalists, int fullGridMax, ControllerConfig base,
                             GovernorConfig governor, Map<Role, List<Integer>> only) {
    /**
     * The settings {@code simulate}, {@code evaluate} and {@code cohort best-static} use: seeds 1000–1004, the whole
     * grid screened on 20 s runs of seed 1000, the best 10 run in full on all five seeds. Measured on 2 cores (docs).
     */
    public static final SearchSettings DEFAULT = new SearchSettings(
            LongStream.rangeClosed(SimHarness.FIRST_TRAINING_SEED, SimHarness.FIRST_TRAINING_SEED + 4).boxed().toList(),
            20_000_000_000L, 10, 32, ControllerConfig.DEFAULT, GovernorConfig.EVALUATION, Map.of());

    public SearchSettings {
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty() || seeds.stream().anyMatch(s -> s < SimHarness.FIRST_TRAINING_SEED)) {
            throw new IllegalArgumentException("best-static searches on training seeds, each at least "
                    + SimHarness.FIRST_TRAINING_SEED + " (evaluation seeds are below it), got " + seeds);
        }
        if (screenNanos <= 0 || finalists < 1 || fullGridMax < 0) {
            throw new IllegalArgumentException("best-static needs a positive screening length and at least one finalist");
        }
        var o = new EnumMap<Role, List<Integer>>(Role.class);
        only.forEach((r, l) -> o.put(r, List.copyOf(l)));
        only = java.util.Collections.unmodifiableMap(o);
    }

    /** The same with another governor (evaluate's {@code --slo-override}). */
    public SearchSettings withGovernor(GovernorConfig g) {
        return new SearchSettings(seeds, screenNanos, finalists, fullGridMax, base, g, only);
    }

    /** The same under other reward weights (a training run's own). */
    public SearchSettings withReward(dev.cohort.control.RewardWeights w) {
        return new SearchSettings(seeds, screenNanos, finalists, fullGridMax, base.withReward(w), governor, only);
    }

    /** The seed stage 1 runs on: the first. */
    public long screenSeed() {
        return seeds.getFirst();
    }

    /** The seeds as people read them: {@code 1000–1004}, or a list. */
    public String seedsText() {
        return seedsText(seeds);
    }

    /** Seeds as people read them: a range when consecutive ({@code 1000–1004}), else a list. */
    static String seedsText(List<Long> seeds) {
        long first = seeds.getFirst();
        boolean consecutive = true;
        for (int i = 0; i < seeds.size(); i++) {
            consecutive &= seeds.get(i) == first + i;
        }
        return consecutive && seeds.size() > 2 ? first + "–" + seeds.getLast()
                : String.join(",", seeds.stream().map(String::valueOf).toList());
    }

    /**
     * The settings as key text: what changes the result. The machine's power and bandwidth normalisers in {@code base}
     * are left out: every run takes them from the simulated machine ({@code SimHarness.controllerConfig}).
     */
    String keyText() {
        ControllerConfig b = base;
        return "seeds=" + seeds + "\nscreenNanos=" + screenNanos + "\nfinalists=" + finalists + "\nfullGridMax=" + fullGridMax
                + "\nlevels=core:" + b.coreLevels() + ",quota:" + b.quotaLevels() + "\nquotaPeriodUsec=" + b.quotaPeriodUsec()
                + "\nlambda=" + b.lambda() + "\nreward=" + b.reward() + "\ngovernor=" + governor + "\nonly=" + onlyText() + "\n";
    }

    private String onlyText() {
        StringBuilder sb = new StringBuilder();
        for (Role r : Role.values()) {
            if (only.containsKey(r)) {
                sb.append(r.id()).append(only.get(r));
            }
        }
        return sb.toString();
    }
}
