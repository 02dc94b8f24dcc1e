package dev.cohort.harness;

/**
 * A paired comparison of one figure between two policies run on the same seeds: per seed the difference
 * (policy − rival), its mean and 95% interval ({@link Stats}), and which side it favours. A difference whose
 * interval contains zero favours neither (a tie); with fewer than two seeds there is no interval, so nothing is
 * decided. Pairing removes what the seed does to both runs alike (the same arrivals, the same machine), so a
 * steady small difference is found under a large spread between seeds.
 *
 * @param diff   mean and 95% interval of the per-seed differences, in the figure's unit
 * @param better +1 when the policy is better outside the interval, −1 when worse, 0 for a tie
 */
public record PairedDifference(Stats diff, int better) {

    /**
     * Compares per-seed figures of a policy and a rival, index by index (the same seed at the same index).
     *
     * @param lowerIsBetter whether a smaller figure is better (energy) or a larger one (reward, work)
     */
    public static PairedDifference of(double[] policy, double[] rival, boolean lowerIsBetter) {
        if (policy.length != rival.length) {
            throw new IllegalArgumentException("paired figures need the same seeds: " + policy.length + " against " + rival.length);
        }
        double[] d = new double[policy.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = policy[i] - rival[i];
        }
        Stats st = Stats.of(d);
        int sign = 0;
        if (st.n() >= 2 && Math.abs(st.mean()) > st.halfWidth()) {
            sign = (st.mean() < 0) == lowerIsBetter ? 1 : -1;
        }
        return new PairedDifference(st, sign);
    }
}
