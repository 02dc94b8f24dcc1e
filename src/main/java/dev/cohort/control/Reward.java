package dev.cohort.control;

import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.Topology;

/**
 * The cooperative reward every agent shares: {@code R = −α·L − β·λ·E − γ·S + δ·P}.
 * <ul>
 *   <li>L: mean over services of {@code 1[lat > SLO] + min(2, max(0, lat/SLO − 1))}: a breach costs at
 *       least 1, and more the further latency is over the target (capped so one bad tick cannot swamp the rest);
 *       a service with no latency reading is counted through its slack proxy.</li>
 *   <li>E: package energy of the tick / (TDP × tick length), i.e. mean power as a share of TDP.</li>
 *   <li>S: memory-stall share of all cycles (0 without stall counters).</li>
 *   <li>P: best-effort progress, the work best-effort jobs did over what they would do alone, unthrottled, on
 *       their whole allocation at the top frequency, weighted by each job's share of the CPUs
 *       ({@link BestEffortProgress}); 0 with no best-effort job.</li>
 * </ul>
 */
public final class Reward {
    private final Topology topo;
    private final ControllerConfig cfg;

    public Reward(Topology topo, ControllerConfig cfg) {
        this.topo = topo;
        this.cfg = cfg;
    }

    /** The reward of the interval {@code s} describes, with energy weight multiplier {@code lambda}. */
    public RewardTerms compute(HostStatus s, double lambda) {
        double l = 0;
        int services = 0;
        for (int g = 0; g < topo.cgroups().size(); g++) {
            Topology.CgroupInfo info = topo.cgroups().get(g);
            if (info.role() != CgroupRole.LATENCY_CRITICAL) {
                continue;
            }
            services++;
            double over = s.loadRatio(g) - 1;
            l += (over > 0 ? 1 : 0) + Math.min(2, Math.max(0, over));
        }
        l = services == 0 ? 0 : l / services;
        double e = Double.isNaN(s.tickJoules()) ? 0 : s.tickJoules() / (cfg.tdpWatts() * s.seconds());
        double st = HostStatus.nz(s.stallShare());
        double p = s.beProgress();
        RewardWeights w = cfg.reward();
        double r = -w.alpha() * l - w.beta() * lambda * e - w.gamma() * st + w.delta() * p;
        return new RewardTerms(l, e, st, p, r);
    }
}
