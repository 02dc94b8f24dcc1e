package dev.cohort.policy;

/**
 * One role whose learned model could not decide a tick (an output NaN or out of range, an inference error), so the
 * model's baseline decided that role instead. Part of the {@link Policy} contract so that a policy wrapped in
 * another (the daemon's per-role {@code CompositePolicy}) still reports it.
 *
 * @param role     the role that fell back
 * @param tick     the tick (from the observations)
 * @param baseline the policy that decided instead
 * @param reason   why, naming the model file
 */
public record ModelFallback(Role role, long tick, String baseline, String reason) {
}
