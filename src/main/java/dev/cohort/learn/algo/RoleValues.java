package dev.cohort.learn.algo;

import ai.djl.ndarray.NDArray;
import dev.cohort.policy.Role;

/**
 * One role's agent networks unrolled over a batch, by the online and the target weights: the values of one reward
 * term (or of the whole reward), and the values the policy acts on, which pick the levels a target bootstraps from.
 * Without terms valued apart the two are the same arrays.
 *
 * @param role       the role
 * @param heads      online values of every head {@code [B, T+1, N, K, A]} (K = 1 but for AWRQ)
 * @param target     target-network values, same shape, no gradient
 * @param pick       online values the policy acts on, same shape (with terms valued apart: the rest plus each term's
 *                   weight times its values, head by head)
 * @param pickTarget the target network's, same shape, no gradient
 * @param obs        observations {@code [B, T+1, N, F]}
 * @param actions    one-hot levels taken {@code [B, T, N, A]}
 * @param mask       {@code [B, N]}: 1 for a real agent
 */
record RoleValues(Role role, NDArray heads, NDArray target, NDArray pick, NDArray pickTarget, NDArray obs, NDArray actions,
                  NDArray mask) {

    /** Values that are also what the policy acts on. */
    RoleValues(Role role, NDArray heads, NDArray target, NDArray obs, NDArray actions, NDArray mask) {
        this(role, heads, target, heads, target, obs, actions, mask);
    }

    /** True when these are one term's values and the policy acts on a sum of terms. */
    boolean term() {
        return pick != heads;
    }

    /** The online network's served values of this term (the heads' average): {@code [B, T+1, N, A]}. */
    NDArray served() {
        return average(heads);
    }

    /** The target network's served values of this term: {@code [B, T+1, N, A]}. */
    NDArray servedTarget() {
        return average(target);
    }

    /** The values the policy acts on, online (with gradient): {@code [B, T+1, N, A]}. */
    NDArray pickServed() {
        return average(pick);
    }

    /** The values the policy acts on, by the target network: {@code [B, T+1, N, A]}. */
    NDArray pickServedTarget() {
        return average(pickTarget);
    }

    private static NDArray average(NDArray h) {
        return h.getShape().get(3) == 1 ? h.squeeze(3) : h.mean(new int[]{3});
    }
}
