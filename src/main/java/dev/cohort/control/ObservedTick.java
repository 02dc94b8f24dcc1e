package dev.cohort.control;

/**
 * One tick's observations as a journal keeps them for training a power estimator on a real host: every role's matrix
 * and current levels, each package's measured power over the interval, and the layout's facts. Written only when the
 * journal asks for it ({@link Journal#recordsObservations}).
 *
 * @param data         per role ordinal, the observation matrix (agents × features)
 * @param levels       per role ordinal, each agent's current level
 * @param packageWatts per package, the measured power over the interval (NaN without RAPL)
 * @param layout       the host's facts
 */
public record ObservedTick(float[][] data, int[][] levels, double[] packageWatts, LayoutFacts layout) {
}
