package dev.cohort.learn.algo;

/**
 * AWRQ-Mixer's own settings (MaRCA §3.3; cohort's reading: {@code docs/training.md}). The agents' GRU width is
 * {@link LearnerConfig#hidden}, the mixer's sizes {@link LearnerConfig#mixerEmbed} and {@link LearnerConfig#hypernetHidden}.
 *
 * @param heads              value heads per agent network, K (MaRCA: 20)
 * @param adaptiveWeighting  weigh the heads by their share of the TD loss, {@code η_k = L_k / Σ_j L_j}; false: equally (ablation)
 * @param vgca               weigh each agent-step's TD error by the variance of the agent's values over its levels
 *                           (variance-guided credit assignment; ablation: false)
 * @param mixerTrainsAgents  let the mixer's TD error reach the agents' networks, as QMIX does; false as MaRCA publishes it,
 *                           where the agents learn from their own TD errors and the mixer from Q_tot's with the agents'
 *                           values as inputs
 */
public record AwrqConfig(int heads, boolean adaptiveWeighting, boolean vgca, boolean mixerTrainsAgents) {
    /** K = 8, adaptive weighting and VGCA on, the mixer's error kept from the agents (as published). */
    public static final AwrqConfig DEFAULT = new AwrqConfig(8, true, true, false);

    public AwrqConfig {
        if (heads < 1 || heads > 256) {
            throw new IllegalArgumentException("awrq.heads must be 1..256, got " + heads);
        }
    }
}
