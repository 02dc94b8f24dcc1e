package dev.cohort.learn.algo;

/**
 * AWRQ's variance-guided credit assignment (MaRCA Eq. 16): a decision's learning signal is scaled by
 * {@code w = Var_j E[R | a = j]}, how much the expected outcome depends on the level chosen, so decisions that matter
 * get stronger learning signals.
 *
 * <p>cohort estimates {@code E[R | a = j]} by the agent's own value of level j, {@code Q_i(o_t, j)} (the heads'
 * average, of the target network), so each agent gets a weight at each tick: the population variance of its values
 * over the role's levels. The weights of a role are then divided by their mean over the batch's real agent-steps of
 * that role, so they average 1 per role and only redistribute credit within a role (MaRCA's code normalises each
 * agent network's weights on its own, too). A role whose values do not vary at all gets weight 1 everywhere.
 * The weights multiply the agents' squared TD errors ({@link AwrqLoss}). MaRCA's code estimates the expectation
 * differently, from the batch: the mean reward of the requests that took each action at a sub-decision, and scales
 * the reward; {@code docs/training.md} says why cohort does neither.
 */
final class Vgca {
    private Vgca() {
    }

    /**
     * @param q    {@code [B, T, N, A]}: values of every level, per chunk, step and agent slot
     * @param mask {@code [B, N]}: 1 for a real agent, 0 for padding
     * @return {@code [B, T, N]}: the weights, mean 1 over the real agents' steps (0 for padding)
     */
    static float[] weights(float[] q, float[] mask, int batch, int steps, int agents, int levels) {
        float[] w = new float[batch * steps * agents];
        double sum = 0;
        long count = 0;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < agents; i++) {
                if (mask[b * agents + i] <= 0) {
                    continue;
                }
                for (int t = 0; t < steps; t++) {
                    int row = ((b * steps + t) * agents + i) * levels;
                    double mean = 0;
                    for (int a = 0; a < levels; a++) {
                        mean += q[row + a];
                    }
                    mean /= levels;
                    double var = 0;
                    for (int a = 0; a < levels; a++) {
                        double d = q[row + a] - mean;
                        var += d * d;
                    }
                    var /= levels;
                    w[(b * steps + t) * agents + i] = (float) var;
                    sum += var;
                    count++;
                }
            }
        }
        double mean = count == 0 ? 0 : sum / count;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < agents; i++) {
                boolean real = mask[b * agents + i] > 0;
                for (int t = 0; t < steps; t++) {
                    int j = (b * steps + t) * agents + i;
                    w[j] = !real ? 0f : mean > 1e-12 && Double.isFinite(mean) ? (float) (w[j] / mean) : 1f;
                }
            }
        }
        return w;
    }
}
