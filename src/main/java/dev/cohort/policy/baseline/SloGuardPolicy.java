package dev.cohort.policy.baseline;

import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import dev.cohort.policy.RoleObservations;

/**
 * A feedback controller in the style of Heracles and koordlet: while the latency-critical services have
 * plenty of slack, best-effort work gets more CPU quota and memory bandwidth one step at a time; when slack
 * runs short it is cut fast (halved), and the services' cores go to full speed. Frequency otherwise follows
 * schedutil's rule, never below it on a service's cores.
 *
 * <p>Slack is {@code 1 − latency/SLO} at the SLO quantile over the last tick, as each agent sees it.
 */
public final class SloGuardPolicy implements Policy {
    private final double lowSlack;
    private final double highSlack;
    private int[] memory = new int[0];
    private int[] quota = new int[0];
    private int[] core = new int[0];

    /**
     * @param lowSlack  below this slack best-effort work is cut and service cores run at full speed (e.g. 0.10)
     * @param highSlack above this slack best-effort work may grow one step per tick (e.g. 0.30)
     */
    public SloGuardPolicy(double lowSlack, double highSlack) {
        if (!(lowSlack < highSlack)) {
            throw new IllegalArgumentException("slo-guard: low slack " + lowSlack + " must be below high slack " + highSlack);
        }
        this.lowSlack = lowSlack;
        this.highSlack = highSlack;
    }

    @Override
    public String name() {
        return "slo-guard";
    }

    @Override
    public void reset() {
        memory = new int[0];
        quota = new int[0];
        core = new int[0];
    }

    @Override
    public Object saveState() {
        return new int[][]{memory.clone(), quota.clone(), core.clone()};
    }

    @Override
    public void restoreState(Object state) {
        int[][] s = (int[][]) state;
        memory = s[0].clone();
        quota = s[1].clone();
        core = s[2].clone();
    }

    @Override
    public Decision decide(Observations obs) {
        Decision d = Decision.noChange(obs);
        memory = adoptCurrent(memory, obs.role(Role.MEMORY));
        quota = adoptCurrent(quota, obs.role(Role.QUOTA));
        core = adoptCurrent(core, obs.role(Role.CORE));
        adjustBestEffort(obs.role(Role.MEMORY), Features.MEM_LC_SLACK, memory, d.levels(Role.MEMORY));
        adjustBestEffort(obs.role(Role.QUOTA), Features.QUOTA_LC_SLACK, quota, d.levels(Role.QUOTA));
        adjustCores(obs.role(Role.CORE), d.levels(Role.CORE));
        return d;
    }

    private void adjustBestEffort(RoleObservations ro, int slackFeature, int[] state, int[] out) {
        for (int a = 0; a < ro.agents(); a++) {
            double slack = ro.get(a, slackFeature);
            if (slack < lowSlack) {
                state[a] = state[a] / 2;                       // cut fast
            } else if (slack > highSlack) {
                state[a] = Math.min(ro.actions().max(), state[a] + 1); // grow slowly
            }
            out[a] = state[a];
        }
    }

    private void adjustCores(RoleObservations ro, int[] out) {
        for (int a = 0; a < ro.agents(); a++) {
            int floor = SchedutilPolicy.target(ro, a);
            boolean servesLc = ro.get(a, Features.CORE_LC_SHARE) > 0;
            double slack = ro.get(a, Features.CORE_LC_SLACK);
            if (!servesLc) {
                core[a] = floor;
            } else if (slack < lowSlack) {
                core[a] = ro.actions().max();
            } else if (slack > highSlack) {
                core[a] = Math.max(floor, core[a] - 1);
            } else {
                core[a] = Math.max(floor, core[a]);
            }
            out[a] = core[a];
        }
    }

    /** First tick (or a changed agent count): start from the levels the knobs are at now. */
    private static int[] adoptCurrent(int[] state, RoleObservations ro) {
        if (state.length == ro.agents()) {
            return state;
        }
        int[] s = new int[ro.agents()];
        for (int a = 0; a < s.length; a++) {
            s[a] = ro.currentLevel(a);
        }
        return s;
    }
}
