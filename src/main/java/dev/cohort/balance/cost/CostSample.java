package dev.cohort.balance.cost;

/**
 * One training or evaluation example: a state and one candidate joint action as {@link CostFeatures} rows, and what the
 * simulator (or a host's RAPL) then measured over the next tick.
 *
 * @param group       samples of one state share a group id (candidates from one snapshot; the difference figure pairs them)
 * @param scenario    the scenario it came from
 * @param rows        row-major {@code rowCount × CostFeatures.WIDTH}
 * @param rowPackage  per row, its package
 * @param rowScale    per row, the watts a normalised prediction of 1 stands for ({@link HostFacts#rowScaleWatts})
 * @param packageWatts per package, the measured power over the next tick, W
 * @param packageTdp  TDP of one package, W (normalises the loss)
 * @param utilNext    per row, the domain's utilisation over the next tick (NaN when unknown)
 * @param intervalRows the rows of the observation of that tick itself (its counters measured over it) with the levels
 *                    held in it: what the interval model reads ({@link CostContract.Target#INTERVAL}); null when unknown
 */
public record CostSample(long group, String scenario, float[] rows, int[] rowPackage, float[] rowScale, double[] packageWatts,
                         double packageTdp, float[] utilNext, float[] intervalRows) {
    /**
     * This sample as the interval model learns it: the tick's own observation, the same measured power, and no
     * utilisation task (the observation already holds the tick's utilisation).
     */
    public CostSample interval() {
        float[] none = new float[rowCount()];
        java.util.Arrays.fill(none, Float.NaN);
        return new CostSample(group, scenario, intervalRows, rowPackage, rowScale, packageWatts, packageTdp, none, null);
    }

    /** Number of rows. */
    public int rowCount() {
        return rowPackage.length;
    }

    /** Total measured power, W. */
    public double totalWatts() {
        double s = 0;
        for (double w : packageWatts) {
            s += w;
        }
        return s;
    }
}
