package dev.cohort.control;

/**
 * The parts of one tick's reward and their weighted sum.
 *
 * @param latency latency penalty L (0 when every service meets its SLO)
 * @param energy  energy E: the tick's package energy over TDP × tick length
 * @param stall   memory-stall share S of all cycles
 * @param progress best-effort progress P, 0..1 (work done over work possible alone at the top frequency)
 * @param reward  {@code −α·L − β·λ·E − γ·S + δ·P}
 */
public record RewardTerms(double latency, double energy, double stall, double progress, double reward) {
}
