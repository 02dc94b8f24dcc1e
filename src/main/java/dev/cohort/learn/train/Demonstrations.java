package dev.cohort.learn.train;

import java.util.List;

/**
 * Episodes of a named policy put into replay before training starts, as in DQfD (Hester et al. 2018): they stay
 * for the whole run, a share of every batch is drawn from them, the first updates (before the learner's own replay
 * is warm) use them alone, and value learners add a large-margin loss that makes the demonstrated level lead every
 * other by a margin (its size and weight are in {@link dev.cohort.learn.algo.LearnerConfig}). Their episodes are
 * drawn and varied like training episodes, from training seeds; with {@code widened} false only by the variation's
 * spreads ({@link dev.cohort.learn.env.Variation#spreadsOnly}), on the files' machines, mixes, profiles and SLOs, where
 * a rule fitted to those files is worth imitating.
 *
 * @param policy    what acts: any name {@code cohort simulate --policy} takes
 * @param scenarios training scenarios the demonstrations are drawn from (uniformly)
 * @param episodes  how many episodes; 0 turns demonstrations off
 * @param share     share of each batch drawn from demonstrations once the replay is warm
 * @param widened   whether demonstration episodes draw from the whole variation (machine sizes, mixes, bursty swaps,
 *                  SLO and load ranges) or only its spreads
 */
public record Demonstrations(String policy, List<String> scenarios, int episodes, double share, boolean widened) {
    /** No demonstrations. */
    public static final Demonstrations NONE = new Demonstrations("", List.of(), 0, 0);

    /** Demonstrations drawn from the whole variation. */
    public Demonstrations(String policy, List<String> scenarios, int episodes, double share) {
        this(policy, scenarios, episodes, share, true);
    }

    public Demonstrations {
        scenarios = List.copyOf(scenarios);
    }

    /** True when the run uses demonstrations. */
    public boolean on() {
        return episodes > 0;
    }

    /** Chunks of a batch of {@code batchChunks} drawn from the demonstrations once the replay is warm (at least one). */
    public int chunksOf(int batchChunks) {
        return on() ? Math.max(1, Math.min(batchChunks, (int) Math.round(share * batchChunks))) : 0;
    }
}
