package dev.cohort.balance.cost;

import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import dev.cohort.policy.RoleObservations;
import java.util.SplittableRandom;

/**
 * A rollout policy for the estimator's data: every agent holds its level and, with probability {@code moveShare} each
 * tick, jumps to a level drawn uniformly, so runs visit every level of every knob (a learned or baseline policy keeps
 * to a few). Not a policy to run a host with.
 */
final class RandomLevels implements Policy {
    private final SplittableRandom rng;
    private final double moveShare;

    RandomLevels(long seed, double moveShare) {
        this.rng = new SplittableRandom(seed);
        this.moveShare = moveShare;
    }

    @Override
    public String name() {
        return "random";
    }

    @Override
    public Decision decide(Observations obs) {
        Decision d = Decision.noChange(obs);
        for (Role r : Role.values()) {
            RoleObservations ro = obs.role(r);
            int[] l = d.levels(r);
            for (int a = 0; a < l.length; a++) {
                if (rng.nextDouble() < moveShare) {
                    l[a] = rng.nextInt(ro.actions().levels());
                }
            }
        }
        return d;
    }

    /** A candidate drawn around {@code base}: one of several kinds, so pairs differ by one knob or by many. */
    Decision candidate(Observations obs, Decision base) {
        Decision d = Decision.noChange(obs);
        for (Role r : Role.values()) {
            d.copyRole(r, base);
        }
        int kind = rng.nextInt(4);
        for (Role r : Role.values()) {
            RoleObservations ro = obs.role(r);
            int[] l = d.levels(r);
            int levels = ro.actions().levels();
            switch (kind) {
                case 0 -> { // every core to one level
                    if (r == Role.CORE) {
                        java.util.Arrays.fill(l, rng.nextInt(levels));
                    }
                }
                case 1 -> { // every agent anywhere
                    for (int a = 0; a < l.length; a++) {
                        l[a] = rng.nextInt(levels);
                    }
                }
                case 2 -> { // one core moved
                    if (r == Role.CORE && l.length > 0) {
                        l[rng.nextInt(l.length)] = rng.nextInt(levels);
                    }
                }
                default -> { // quotas and bandwidth moved, cores held
                    if (r != Role.CORE) {
                        for (int a = 0; a < l.length; a++) {
                            l[a] = rng.nextInt(levels);
                        }
                    }
                }
            }
        }
        return d;
    }
}
