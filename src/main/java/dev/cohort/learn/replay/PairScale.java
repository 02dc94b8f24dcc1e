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
    BAND,
    /**
     * Its scenario's, role's and slack bucket's, per band of how far the level tried is from the one taken too (1
     * level, 2–3, 4 or more), {@link PairScaler#stepUnit}: a far level's rare misses set a bucket's size, and the near
     * levels' pairs, small and consistent (on {@code steady}: +0.002, spread 0.017, against −0.05 and 0.36 four levels
     * or more away; {@code docs/results.md}, "Episodes as written"), are then a few thousandths in the loss.
     */
    STEP
}
