package dev.cohort.learn.algo;

/**
 * What one update did.
 *
 * @param loss      TD loss (value learners) or critic loss (MADDPG)
 * @param qMean     mean Q (Q_tot for mixers, Q_i for IQL, critic Q for MADDPG) of the taken actions
 * @param gradNorm  global gradient norm before clipping
 * @param actorLoss MADDPG's actor loss (NaN for value learners)
 */
public record UpdateStats(double loss, double qMean, double gradNorm, double actorLoss) {
}
