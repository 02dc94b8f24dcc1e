package dev.cohort.learn.algo;

import ai.djl.ndarray.NDArray;
import dev.cohort.policy.Role;

/**
 * One role's agent networks unrolled over a batch, by the online and the target weights.
 *
 * @param role    the role
 * @param heads   online values of every head {@code [B, T+1, N, K, A]} (K = 1 but for AWRQ)
 * @param target  target-network values, same shape, no gradient
 * @param obs     observations {@code [B, T+1, N, F]}
 * @param actions one-hot levels taken {@code [B, T, N, A]}
 * @param mask    {@code [B, N]}: 1 for a real agent
 */
record RoleValues(Role role, NDArray heads, NDArray target, NDArray obs, NDArray actions, NDArray mask) {

    /** The online network's served values (the heads' average): {@code [B, T+1, N, A]}. */
    NDArray served() {
        return average(heads);
    }

    /** The target network's served values: {@code [B, T+1, N, A]}. */
    NDArray servedTarget() {
        return average(target);
    }

    private static NDArray average(NDArray h) {
        return h.getShape().get(3) == 1 ? h.squeeze(3) : h.mean(new int[]{3});
    }
}
