package dev.cohort.learn.replay;

/** What a paired difference is divided by before it is fitted ({@code learning.pairedAdvantage.scale}). */
public enum PairScale {
    /** The reward's scale, as the rewards (the values' own units). */
    REWARD,
    /** Its training scenario's recent root mean square pair ({@link PairScaler#unit}). */
    SCENARIO,
    /** Its own episode's root mean square pair ({@link Pairs#episode}, {@link PairScaler#episodeUnit}). */
    EPISODE,
    /** Its scenario's, role's and latency-slack bucket's recent root mean square pair ({@link PairScaler#unit(int, int, int)}). */
    STATE,
    /**
     * The same per band of load too (the agent's domain's utilisation, its memory domain's bandwidth or its job's CPU
     * usage: under 0.3, under 0.6, above), {@link PairScaler#bandUnit}: a slack bucket mixes light states, whose pairs are
     * small and alike, with loaded ones whose rare misses set its size.
     */
    BAND
}
