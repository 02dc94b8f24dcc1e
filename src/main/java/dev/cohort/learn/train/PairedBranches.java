package dev.cohort.learn.train;

import dev.cohort.harness.SimHarness;
import dev.cohort.learn.algo.PairedAdvantage;
import dev.cohort.learn.env.MarlEnv;
import dev.cohort.learn.replay.Pairs;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Role;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One episode's paired advantages ({@link PairedAdvantage}): at every {@code every}-th tick, after the actor chose and
 * before the tick is finished, one agent (drawn uniformly over every agent, or over a role drawn uniformly) is branched
 * from the run's exact snapshot at a level drawn uniformly among the others and at the level it chose; the other agents
 * keep their choices, and both branches then hold that tick's decision for the horizon, meeting the same arrivals (the
 * branched agent back at its own level, or with {@code hold} at its branch's). The
 * run is restored before the tick finishes, so the episode itself is the one collected without branches, bit for bit.
 * Draws come from a stream of their own. Each gap's energy part ({@code −β·λ·E} summed the same way) is kept beside
 * it. Not thread-safe: one per episode.
 */
final class PairedBranches {
    private final PairedAdvantage cfg;
    private final double gamma;
    private final SplittableRandom rng;
    private final int ticks;
    private final int[][] tried = new int[Role.values().length][];
    private final float[][] gap = new float[Role.values().length][];
    private final float[][] energy = new float[Role.values().length][];
    private final double energyPrice;
    private int[] agents;

    /**
     * @param ticks       ticks of the episode that earn a reward (the chunks' steps in all)
     * @param energyPrice β·λ of the episode: a tick's energy part of the reward is {@code −energyPrice · E}
     */
    PairedBranches(PairedAdvantage cfg, double gamma, SplittableRandom rng, int ticks, double energyPrice) {
        this.cfg = cfg;
        this.gamma = gamma;
        this.rng = rng;
        this.ticks = ticks;
        this.energyPrice = energyPrice;
    }

    /** Branches tick {@code t} if it is one to branch; {@code d} holds every agent's chosen level and is left as it was. */
    void at(int t, MarlEnv env, Observations o, Decision d) {
        if (agents == null) {
            agents = new int[Role.values().length];
            for (Role r : Role.values()) {
                int n = o.role(r).agents();
                agents[r.ordinal()] = n;
                tried[r.ordinal()] = new int[ticks * n];
                gap[r.ordinal()] = new float[ticks * n];
                energy[r.ordinal()] = new float[ticks * n];
                Arrays.fill(tried[r.ordinal()], -1);
            }
        }
        int total = Arrays.stream(Role.values()).filter(cfg::pairs).mapToInt(r -> agents[r.ordinal()]).sum();
        if (t >= ticks || t % cfg.every() != 0 || total == 0) {
            return;
        }
        Role role = Role.values()[0];
        int k;
        if (cfg.byRole()) {
            Role[] present = Arrays.stream(Role.values()).filter(r -> cfg.pairs(r) && agents[r.ordinal()] > 0)
                    .toArray(Role[]::new);
            role = present[rng.nextInt(present.length)];
            k = rng.nextInt(agents[role.ordinal()]);
        } else {
            k = rng.nextInt(total);
            for (Role r : Role.values()) {
                if (!cfg.pairs(r)) {
                    continue;
                }
                role = r;
                if (k < agents[r.ordinal()]) {
                    break;
                }
                k -= agents[r.ordinal()];
            }
        }
        int levels = o.role(role).actions().levels();
        int own = d.levels(role)[k] == Decision.NO_CHANGE ? o.role(role).currentLevel(k) : d.levels(role)[k];
        if (levels < 2) {
            return;
        }
        int reach = cfg.reach() > 0 ? cfg.reach() : levels;
        int lowest = Math.max(0, own - reach);
        int others = Math.min(levels - 1, own + reach) - lowest; // the levels within reach but the chosen one
        int other = lowest + rng.nextInt(others);
        other = other >= own ? other + 1 : other;
        SimHarness h = env.harness();
        SimHarness.Snapshot snap = h.snapshot();
        double[] at = branch(h, snap, o, d, role, k, other);
        double[] taken = branch(h, snap, o, d, role, k, own);
        h.restore(snap);
        int ri = role.ordinal();
        tried[ri][t * agents[ri] + k] = other;
        gap[ri][t * agents[ri] + k] = (float) (at[0] - taken[0]);
        energy[ri][t * agents[ri] + k] = (float) (at[1] - taken[1]);
    }

    /**
     * From {@code snap}, {@code agent} of {@code role} at {@code level} this tick, then the decision held: the discounted
     * reward and its energy part.
     */
    private double[] branch(SimHarness h, SimHarness.Snapshot snap, Observations o, Decision d, Role role, int agent, int level) {
        h.restore(snap);
        Decision x = copy(o, d);
        x.levels(role)[agent] = level;
        h.finishTick(x);
        double sum = 0;
        double energySum = 0;
        double w = 1;
        for (int j = 0; j < cfg.horizon(); j++) {
            Observations next = h.beginStep();
            Decision held = copy(next, d);
            if (cfg.hold()) {
                held.levels(role)[agent] = level;
            }
            var terms = h.finishTick(held).reward(); // the first is the branched tick's consequence
            sum += w * terms.reward();
            energySum += w * -energyPrice * terms.energy();
            w *= gamma;
        }
        return new double[]{sum, energySum};
    }

    private static Decision copy(Observations o, Decision d) {
        Decision x = Decision.noChange(o);
        for (Role r : Role.values()) {
            x.copyRole(r, d);
        }
        return x;
    }

    /**
     * The pairs of the steps {@code t0 .. t0 + len − 1} (empty arrays for a role none of whose agent-steps there was
     * branched), with the whole episode's root mean square gap: call once the episode has ended.
     */
    Pairs of(int t0, int len) {
        double sum = 0;
        int count = 0;
        for (int r = 0; agents != null && r < tried.length; r++) {
            for (int i = 0; i < tried[r].length; i++) {
                if (tried[r][i] >= 0) {
                    sum += (double) gap[r][i] * gap[r][i];
                    count++;
                }
            }
        }
        Pairs none = Pairs.none(tried.length);
        Pairs out = new Pairs(none.tried(), none.gap(), none.energy(), count == 0 ? 0 : (float) Math.sqrt(sum / count));
        for (int r = 0; agents != null && r < tried.length; r++) {
            int n = agents[r];
            int[] tr = Arrays.copyOfRange(tried[r], t0 * n, (t0 + len) * n);
            if (Arrays.stream(tr).anyMatch(level -> level >= 0)) {
                out.tried()[r] = tr;
                out.gap()[r] = Arrays.copyOfRange(gap[r], t0 * n, (t0 + len) * n);
                out.energy()[r] = Arrays.copyOfRange(energy[r], t0 * n, (t0 + len) * n);
            }
        }
        return out;
    }
}
