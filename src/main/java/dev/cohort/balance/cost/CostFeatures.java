package dev.cohort.balance.cost;

import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Role;
import dev.cohort.policy.RoleObservations;
import java.util.List;

/**
 * The estimator's input: one row per frequency domain (core agent), built from that agent's observation, the candidate
 * levels of the agents acting on its CPUs (its own frequency, the quotas of the cgroups on its CPUs, the MBA of its
 * memory domain) and the host's facts. The same code builds rows for training, evaluation and the runtime, so the
 * model sees one definition. Names and order are part of the model's contract ({@link #NAMES}).
 *
 * <p>Deliberately left out: the measured package power ({@code g_power_budget}): where the estimator stands in for
 * RAPL that feature is 0, so a model that leaned on it would be wrong exactly where it is needed.
 */
public final class CostFeatures {
    /** Feature names in row order. */
    public static final List<String> NAMES = List.of(
            "util", "ipc", "stall", "llc_mpki", "lc_share", "be_share", "lc_slack", "lc_pressure",
            "freq_now", "freq_next", "util_at_next", "ghz_max", "ghz_next", "ghz_next_sq",
            "cpus", "share", "packages",
            "membw_global", "mem_bw", "mba_now", "mba_next",
            "quota_now", "quota_next", "quota_usage", "quota_throttled", "has_quota",
            "g_lc_slack", "dfreq", "dquota", "dmba");
    /** Row width. */
    public static final int WIDTH = NAMES.size();
    /** Outputs per row, in order: the row's power over the package's TDP share, and its utilisation next tick. */
    public static final List<String> OUTPUTS = List.of("watts_norm", "util_next");

    private static final ObservationSpec C = ObservationSpec.CORE;
    private static final int[] CORE_COPY = {C.index("util"), C.index("ipc"), C.index("stall"), C.index("llc_mpki"),
            C.index("lc_share"), C.index("be_share"), C.index("lc_slack"), C.index("lc_pressure")};
    private static final int C_UTIL = C.index("util");
    private static final int C_MEMBW = C.index("g_membw_util");
    private static final int C_SLACK = C.index("g_lc_slack");
    private static final int M_BW = ObservationSpec.MEMORY.index("bw_util");
    private static final int Q_USAGE = ObservationSpec.QUOTA.index("usage");
    private static final int Q_THR = ObservationSpec.QUOTA.index("throttled");
    private static final double GHZ_SCALE = 4e6;

    private CostFeatures() {
    }

    /**
     * Writes row {@code r} into {@code dst} at {@code off}.
     *
     * @param next the level each agent holds over the next tick, per role ordinal (no {@code NO_CHANGE})
     */
    public static void row(float[] dst, int off, Observations obs, HostFacts f, int r, int[][] next) {
        RoleObservations core = obs.role(Role.CORE);
        for (int i = 0; i < CORE_COPY.length; i++) {
            dst[off + i] = core.get(r, CORE_COPY[i]);
        }
        double max = f.rowMaxKhz()[r];
        double min = f.rowMinKhz()[r];
        double fracNow = core.actions().fraction(core.currentLevel(r));
        double fracNext = core.actions().fraction(next[Role.CORE.ordinal()][r]);
        double khzNow = min + fracNow * (max - min);
        double khzNext = min + fracNext * (max - min);
        double util = core.get(r, C_UTIL);
        int k = CORE_COPY.length;
        dst[off + k] = (float) (khzNow / max);
        dst[off + k + 1] = (float) (khzNext / max);
        dst[off + k + 2] = (float) Math.min(1, util * khzNow / Math.max(1, khzNext));
        dst[off + k + 3] = (float) (max / GHZ_SCALE);
        double ghz = khzNext / GHZ_SCALE;
        dst[off + k + 4] = (float) ghz;
        dst[off + k + 5] = (float) (ghz * ghz);
        dst[off + k + 6] = (float) (f.rowCpus()[r] / 16.0);
        dst[off + k + 7] = (float) f.rowShare(r);
        dst[off + k + 8] = (float) (f.packages() / 2.0);
        double gBw = core.get(r, C_MEMBW);
        dst[off + k + 9] = (float) gBw;
        RoleObservations mem = obs.role(Role.MEMORY);
        int[] ms = f.rowMemory()[r];
        double bw = 0;
        double mbaNow = 0;
        double mbaNext = 0;
        for (int m : ms) {
            bw += mem.get(m, M_BW);
            mbaNow += mem.actions().fraction(mem.currentLevel(m));
            mbaNext += mem.actions().fraction(next[Role.MEMORY.ordinal()][m]);
        }
        dst[off + k + 10] = (float) (ms.length == 0 ? gBw : bw / ms.length);
        dst[off + k + 11] = (float) (ms.length == 0 ? 1 : mbaNow / ms.length);
        dst[off + k + 12] = (float) (ms.length == 0 ? 1 : mbaNext / ms.length);
        RoleObservations quota = obs.role(Role.QUOTA);
        int[] qs = f.rowQuota()[r];
        double qNow = 0;
        double qNext = 0;
        double usage = 0;
        double thr = 0;
        for (int q : qs) {
            qNow += quota.actions().fraction(quota.currentLevel(q));
            qNext += quota.actions().fraction(next[Role.QUOTA.ordinal()][q]);
            usage += quota.get(q, Q_USAGE);
            thr += quota.get(q, Q_THR);
        }
        int nq = Math.max(1, qs.length);
        dst[off + k + 13] = (float) (qs.length == 0 ? 1 : qNow / nq);
        dst[off + k + 14] = (float) (qs.length == 0 ? 1 : qNext / nq);
        dst[off + k + 15] = (float) (usage / nq);
        dst[off + k + 16] = (float) (thr / nq);
        dst[off + k + 17] = qs.length == 0 ? 0 : 1;
        dst[off + k + 18] = core.get(r, C_SLACK);
        dst[off + k + 19] = dst[off + k + 1] - dst[off + k];
        dst[off + k + 20] = dst[off + k + 14] - dst[off + k + 13];
        dst[off + k + 21] = dst[off + k + 12] - dst[off + k + 11];
    }

    /** Every row of a candidate, row-major {@code rows × WIDTH}. */
    public static float[] rows(Observations obs, HostFacts f, int[][] next) {
        float[] out = new float[f.rows() * WIDTH];
        for (int r = 0; r < f.rows(); r++) {
            row(out, r * WIDTH, obs, f, r, next);
        }
        return out;
    }

    /** The levels each agent would hold: the candidate's, its current level where the candidate says NO_CHANGE. */
    public static int[][] held(Observations obs, dev.cohort.policy.Decision candidate) {
        int[][] out = new int[Role.values().length][];
        for (Role role : Role.values()) {
            RoleObservations ro = obs.role(role);
            int[] c = candidate == null ? null : candidate.levels(role);
            int[] l = new int[ro.agents()];
            for (int a = 0; a < l.length; a++) {
                int v = c == null || a >= c.length ? dev.cohort.policy.Decision.NO_CHANGE : c[a];
                l[a] = v == dev.cohort.policy.Decision.NO_CHANGE ? ro.currentLevel(a) : Math.max(0, Math.min(ro.actions().max(), v));
            }
            out[role.ordinal()] = l;
        }
        return out;
    }

    /** The levels the agents hold now, as {@link #held} returns them (the next observation's current levels). */
    public static int[][] current(Observations obs) {
        return held(obs, null);
    }
}
