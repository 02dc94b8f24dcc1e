package dev.cohort.learn.algo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.cohort.learn.replay.Batch;
import java.util.List;

/**
 * The paired-advantage loss ({@link PairedAdvantage}): over the batch's branched agent-steps, the mean squared error
 * between the difference of the agent's acted-on values at the tried level and at the level taken, and the paired
 * difference in reward the simulator measured from the same state with the same arrivals. It constrains only
 * differences between levels in a state, which is what the greedy choice reads; the TD loss keeps the values' level.
 */
final class PairedLoss {
    private PairedLoss() {
    }

    /**
     * With pairs alone: {@code q}'s values, through which the TD loss's gradient reaches only their mean over the levels
     * (the last axis); {@code q} itself, with its whole gradient, is kept in {@code acted} for the paired loss.
     */
    static NDArray meanOnly(dev.cohort.policy.Role role, NDArray q, java.util.Map<dev.cohort.policy.Role, NDArray> acted) {
        acted.put(role, q);
        NDArray mean = q.mean(new int[]{4}, true);
        return mean.add(q.sub(mean).stopGradient());
    }

    /**
     * The loss, or null when the batch has no branched agent-step. {@code acted}: per role, the online values
     * {@code [B, T+1, N, K, A]} whose differences the pairs alone teach ({@link PairedAdvantage#alone}); a role not in
     * it is taught through the values it acts on. With the batch's pairs split into parts ({@link Batch#energyGaps}),
     * {@code K} is {@code groups} groups of heads, the rest's first and the energy's second, and each group's differences
     * are fitted to its own part.
     */
    static NDArray of(NDManager m, Batch b, List<RoleValues> roles, java.util.Map<dev.cohort.policy.Role, NDArray> acted,
                      int groups) {
        if (b.pairCount == 0) {
            return null;
        }
        NDArray sum = null;
        for (RoleValues rv : roles) {
            int ri = rv.role().ordinal();
            if (b.pairSigns[ri] == null) {
                continue;
            }
            int n = b.agents[ri];
            int levels = b.levels[ri];
            NDArray all = acted.get(rv.role());
            NDArray signs = m.create(b.pairSigns[ri], new Shape(b.size, b.steps, n, levels));
            if (b.energyGaps == null) {
                NDArray served = all == null ? rv.pickServed() : all.mean(new int[]{3}); // heads averaged, as served
                NDArray s = squares(m, b, served, signs, b.pairGaps[ri], b.pairMask[ri]);
                sum = sum == null ? s : sum.add(s);
                continue;
            }
            int per = (int) all.getShape().get(3) / groups;
            NDArray rest = all.get(new NDIndex(":, :, :, 0:" + per)).mean(new int[]{3});
            NDArray energy = all.get(new NDIndex(":, :, :, " + per + ":" + 2 * per)).mean(new int[]{3});
            NDArray s = squares(m, b, rest, signs, b.pairGaps[ri], b.pairMask[ri])
                    .add(squares(m, b, energy, signs, b.energyGaps[ri], b.energyMask[ri]));
            sum = sum == null ? s : sum.add(s);
        }
        return sum.div((float) b.pairCount);
    }

    /** The weighted squared errors of values {@code [B, T+1, N, A]}' paired differences against {@code gaps}. */
    private static NDArray squares(NDManager m, Batch b, NDArray values, NDArray signs, float[] gaps, float[] weights) {
        int n = (int) signs.getShape().get(2);
        NDArray q = values.get(new NDIndex(":, 0:" + b.steps)); // [B, T, N, A]
        NDArray g = m.create(gaps, new Shape(b.size, b.steps, n));
        NDArray w = m.create(weights, new Shape(b.size, b.steps, n));
        NDArray err = q.mul(signs).sum(new int[]{3}).sub(g);
        return err.mul(err).mul(w).sum(); // the weights: 0 where none, else 1, its balance or its part's (size)⁻²
    }
}
