package dev.cohort.policy.baseline;

import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import dev.cohort.policy.RoleObservations;

/**
 * A per-core utilisation-target rule, the one {@code docs/results/frontier/} found by searching the simulator's
 * {@code diurnal} scenario (seeds 1–25): each core picks the lowest frequency level, not below a floor, whose
 * projected utilisation {@code u·((1−s)·f/f_L + s)} (s: stall share, which does not speed up) stays under a target.
 * The target rises with the core's agent index falling: the simulator sends each request to the lowest-numbered
 * free core, so low-numbered cores are busy long before the service queues. Lowering waits for the projection to
 * fit the target minus a hysteresis band; a rise in utilisation is extrapolated; very high utilisation or a breach
 * deep below the SLO goes straight to the top level. Memory and quota roles follow {@code slo-guard}.
 *
 * <p>It is a reference, not one of the comparison baselines ({@link Baselines#NAMES}): it is fitted to the
 * simulator's dispatch order, which a real scheduler does not promise. Training uses it as a demonstrator.
 *
 * @see Baselines#REFERENCES
 */
public final class HeadroomPolicy implements Policy {
    /**
     * The rule's parameters.
     *
     * @param floorFraction lowest level as a fraction of the range (0.4: 1.8 GHz of 1.0–3.0, the simulator's knee)
     * @param target        utilisation target of the highest-numbered core
     * @param targetSlope   how much higher the target is on core 0 (linear in between)
     * @param hysteresis    lower only when the projection fits {@code target − hysteresis}
     * @param trend         a rise in utilisation since the last tick is added this many times over
     * @param topAbove      utilisation above which the core goes to the top level
     * @param topBelowSlack service slack below which the core goes to the top level
     */
    public record Params(double floorFraction, double target, double targetSlope, double hysteresis, double trend,
                         double topAbove, double topBelowSlack) {
        /** The validated point of the frontier probe (docs/results/frontier/README.md), rounded. */
        public static final Params FRONTIER = new Params(0.4, 0.8946, 0.1599, 0.12, 0.697, 0.97, -0.756);
    }

    private final Params p;
    private final SloGuardPolicy others = new SloGuardPolicy(0.10, 0.30);
    private double[] lastUtil = new double[0];

    public HeadroomPolicy(Params p) {
        this.p = p;
    }

    @Override
    public String name() {
        return "headroom";
    }

    @Override
    public void reset() {
        lastUtil = new double[0];
        others.reset();
    }

    @Override
    public Object saveState() {
        return new Object[]{lastUtil.clone(), others.saveState()};
    }

    @Override
    public void restoreState(Object state) {
        Object[] s = (Object[]) state;
        lastUtil = ((double[]) s[0]).clone();
        others.restoreState(s[1]);
    }

    @Override
    public Decision decide(Observations obs) {
        Decision d = others.decide(obs);
        RoleObservations core = obs.role(Role.CORE);
        int n = core.agents();
        if (lastUtil.length != n) {
            lastUtil = new double[n];
        }
        int[] out = d.levels(Role.CORE);
        int top = core.actions().max();
        int floor = core.actions().nearestLevel(p.floorFraction());
        for (int a = 0; a < n; a++) {
            double u = core.get(a, Features.CORE_UTIL);
            double stall = Math.clamp(core.get(a, Features.CORE_STALL), 0, 1);
            double minRatio = core.get(a, Features.CORE_FMIN_RATIO);
            int cur = core.currentLevel(a);
            double rise = u - lastUtil[a];
            lastUtil[a] = u;
            double expected = u + (rise > 0 ? p.trend() * rise : 0);
            double position = n > 1 ? (double) a / (n - 1) : 0;
            double target = p.target() + p.targetSlope() * (1 - position);
            int up = lowestFitting(core, expected, stall, minRatio, cur, target, floor);
            int down = lowestFitting(core, expected, stall, minRatio, cur, target - p.hysteresis(), floor);
            int level = up > cur ? up : Math.min(cur, down);
            if (u > p.topAbove() || core.get(a, Features.CORE_LC_SLACK) < p.topBelowSlack()) {
                level = top;
            }
            out[a] = Math.max(level, floor);
        }
        return d;
    }

    /** The lowest level from {@code floor} up whose projected utilisation is at most {@code target} (else the top). */
    private static int lowestFitting(RoleObservations core, double util, double stall, double minRatio, int cur, double target,
                                     int floor) {
        double fCur = frequencyShare(core, cur, minRatio);
        for (int l = floor; l < core.actions().levels(); l++) {
            if (util * ((1 - stall) * fCur / frequencyShare(core, l, minRatio) + stall) <= target) {
                return l;
            }
        }
        return core.actions().max();
    }

    /** A level's frequency as a share of the domain's maximum: levels are spread evenly from min to max. */
    private static double frequencyShare(RoleObservations core, int level, double minRatio) {
        return minRatio + (1 - minRatio) * core.actions().fraction(level);
    }
}
