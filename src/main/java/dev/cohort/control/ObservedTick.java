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

    /** A copy of {@code obs} with the interval's measured per-package power (NaN where nothing was measured). */
    static ObservedTick of(dev.cohort.policy.Observations obs, HostStatus status, dev.cohort.platform.TelemetryInterval iv,
                           LayoutFacts layout) {
        dev.cohort.policy.Role[] roles = dev.cohort.policy.Role.values();
        float[][] data = new float[roles.length][];
        int[][] levels = new int[roles.length][];
        for (dev.cohort.policy.Role r : roles) {
            data[r.ordinal()] = obs.role(r).copyOfData();
            levels[r.ordinal()] = new int[obs.role(r).agents()];
            for (int a = 0; a < levels[r.ordinal()].length; a++) {
                levels[r.ordinal()][a] = obs.role(r).currentLevel(a);
            }
        }
        double[] measured = new double[layout.packages()];
        java.util.Arrays.fill(measured, Double.NaN);
        if (iv.has(dev.cohort.platform.Signal.PKG_ENERGY_UJ)) {
            double[] each = status.packageWattsEach();
            System.arraycopy(each, 0, measured, 0, Math.min(each.length, measured.length));
        }
        return new ObservedTick(data, levels, measured, layout);
    }
}
