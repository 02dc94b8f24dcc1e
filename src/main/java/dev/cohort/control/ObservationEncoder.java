package dev.cohort.control;

import dev.cohort.control.HostStatus.PerCpu;
import dev.cohort.platform.Topology;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Role;
import dev.cohort.policy.RoleObservations;
import java.util.EnumMap;

/**
 * Fills each role's observation matrix from the {@link HostStatus} and the knobs' present levels, in the
 * order {@link ObservationSpec} names: this class measures each feature's raw value, and the spec's
 * {@link ObservationSpec.Feature#normalise} scales it. A value the host cannot measure becomes its neutral
 * value (0 for rates and shares, 1 for slack), so every feature is finite.
 */
public final class ObservationEncoder {
    private static final int C_UTIL = ObservationSpec.CORE.index("util");
    private static final int C_LEVEL = ObservationSpec.CORE.index("freq_level");
    private static final int C_MINR = ObservationSpec.CORE.index("freq_min_ratio");
    private static final int C_IPC = ObservationSpec.CORE.index("ipc");
    private static final int C_STALL = ObservationSpec.CORE.index("stall");
    private static final int C_MPKI = ObservationSpec.CORE.index("llc_mpki");
    private static final int C_LC = ObservationSpec.CORE.index("lc_share");
    private static final int C_BE = ObservationSpec.CORE.index("be_share");
    private static final int C_SLACK = ObservationSpec.CORE.index("lc_slack");
    private static final int C_PRESS = ObservationSpec.CORE.index("lc_pressure");
    private static final int C_SPREAD = ObservationSpec.CORE.index("util_spread");
    private static final int C_PEAK = ObservationSpec.CORE.index("load_peak");
    private static final int C_ID = ObservationSpec.CORE.index("agent_id");
    /** The time constant of the utilisation spread's window: a few on/off cycles of bursty arrivals. */
    private static final double SPREAD_TAU_SECONDS = 5;
    /** The time constant of the load peak's fade: longer than most off periods of an on/off source. */
    private static final double PEAK_TAU_SECONDS = 30;
    private static final int M_BW = ObservationSpec.MEMORY.index("bw_util");
    private static final int M_LEVEL = ObservationSpec.MEMORY.index("mba_level");
    private static final int M_BEU = ObservationSpec.MEMORY.index("be_util");
    private static final int M_BES = ObservationSpec.MEMORY.index("be_stall");
    private static final int M_LCS = ObservationSpec.MEMORY.index("lc_stall");
    private static final int M_SLACK = ObservationSpec.MEMORY.index("lc_slack");
    private static final int M_ID = ObservationSpec.MEMORY.index("agent_id");
    private static final int Q_USAGE = ObservationSpec.QUOTA.index("usage");
    private static final int Q_THR = ObservationSpec.QUOTA.index("throttled");
    private static final int Q_LEVEL = ObservationSpec.QUOTA.index("quota_level");
    private static final int Q_PRESS = ObservationSpec.QUOTA.index("pressure");
    private static final int Q_STALL = ObservationSpec.QUOTA.index("stall");
    private static final int Q_SLACK = ObservationSpec.QUOTA.index("lc_slack");
    private static final int Q_LC = ObservationSpec.QUOTA.index("lc_share");
    private static final int Q_LCU = ObservationSpec.QUOTA.index("lc_util");
    private static final int Q_LCP = ObservationSpec.QUOTA.index("lc_peak");
    private static final int Q_BW = ObservationSpec.QUOTA.index("mem_bw");
    private static final int Q_ID = ObservationSpec.QUOTA.index("agent_id");

    private final AgentLayout layout;
    private final ActionDecoder decoder;
    private final ControllerConfig cfg;
    private final Observations obs;
    /**
     * Each frequency domain's recent spread of utilisation and peak of load, and each quota agent's recent peak of its
     * services' utilisation (the features with a memory of earlier ticks).
     */
    private final LoadSpread utilSpread;
    private final LoadPeak loadPeak;
    private final LoadPeak lcPeak;
    /** What the global power feature is relative to: the governor's budget when it holds one, else TDP. */
    private double powerBudgetWatts;

    public ObservationEncoder(AgentLayout layout, ActionDecoder decoder, ControllerConfig cfg) {
        this.layout = layout;
        this.decoder = decoder;
        this.cfg = cfg;
        var byRole = new EnumMap<Role, RoleObservations>(Role.class);
        for (Role r : Role.values()) {
            byRole.put(r, new RoleObservations(ObservationSpec.of(r), layout.actions(r), layout.agents(r)));
        }
        this.obs = new Observations(byRole);
        this.utilSpread = new LoadSpread(layout.agents(Role.CORE), SPREAD_TAU_SECONDS);
        this.loadPeak = new LoadPeak(layout.agents(Role.CORE), PEAK_TAU_SECONDS);
        this.lcPeak = new LoadPeak(layout.agents(Role.QUOTA), PEAK_TAU_SECONDS);
        this.powerBudgetWatts = cfg.governor().powerBudgetWatts();
    }

    /** Moves the governor's budget the power feature is relative to (NaN: none, then TDP). */
    public void setPowerBudgetWatts(double watts) {
        this.powerBudgetWatts = watts;
    }

    /** The state the encoder carries from tick to tick, for a controller snapshot. */
    Memory saveMemory() {
        return new Memory(utilSpread.save(), loadPeak.save(), lcPeak.save());
    }

    /** Puts back what {@link #saveMemory} took. */
    void restoreMemory(Memory saved) {
        utilSpread.restore(saved.spread());
        loadPeak.restore(saved.peak());
        lcPeak.restore(saved.lcPeak());
    }

    /** What {@link #saveMemory} keeps: the spreads' and the peaks' windows. */
    record Memory(LoadSpread.Saved spread, LoadPeak.Saved peak, LoadPeak.Saved lcPeak) {
    }

    /** Fresh, zeroed observations of {@code layout}'s shape (a spare copy for whoever keeps a previous tick). */
    static Observations blank(AgentLayout layout) {
        var byRole = new EnumMap<Role, RoleObservations>(Role.class);
        for (Role r : Role.values()) {
            byRole.put(r, new RoleObservations(ObservationSpec.of(r), layout.actions(r), layout.agents(r)));
        }
        return new Observations(byRole);
    }

    /** The observations object this encoder fills (the same instance every tick). */
    public Observations observations() {
        return obs;
    }

    /** Encodes tick {@code tick} from the host status and the knobs' present values. */
    public Observations encode(long tick, HostStatus s, KnobState knobs, double lambda) {
        obs.setTick(tick);
        double budget = Double.isNaN(powerBudgetWatts) ? cfg.tdpWatts() : powerBudgetWatts;
        double gPower = Double.isNaN(s.packageWatts()) ? 0 : s.packageWatts() / budget;
        double gBw = nz(s.membwUtilMax());
        double gSlack = s.minSlack();
        encodeCores(obs.role(Role.CORE), s, knobs);
        encodeMemory(obs.role(Role.MEMORY), s, knobs);
        encodeQuota(obs.role(Role.QUOTA), s, knobs);
        for (Role r : Role.values()) {
            RoleObservations ro = obs.role(r);
            int base = ro.spec().size() - ObservationSpec.GLOBAL.size();
            for (int a = 0; a < ro.agents(); a++) {
                put(ro, a, base, gPower);
                put(ro, a, base + 1, gBw);
                put(ro, a, base + 2, gSlack);
                put(ro, a, base + 3, lambda);
            }
        }
        return obs;
    }

    private void encodeCores(RoleObservations ro, HostStatus s, KnobState knobs) {
        int n = ro.agents();
        utilSpread.begin(obs.tick());
        loadPeak.begin(obs.tick());
        for (int a = 0; a < n; a++) {
            Topology.FrequencyDomain d = layout.topology().frequencyDomains().get(layout.coreDomain(a));
            int level = decoder.freqLevel(a, knobs.freqKhz(a));
            ro.setCurrentLevel(a, level);
            double util = nz(s.meanOver(PerCpu.UTIL, d.cpus()));
            put(ro, a, C_UTIL, util);
            put(ro, a, C_SPREAD, utilSpread.spread(a, util, s.seconds()));
            // frequency-invariant: the work at the top frequency, so the agent's own lower level does not raise it
            put(ro, a, C_PEAK, loadPeak.peak(a, util * knobs.freqKhz(a) / d.maxKhz(), s.seconds()));
            put(ro, a, C_LEVEL, ro.actions().fraction(level));
            put(ro, a, C_MINR, (double) d.minKhz() / d.maxKhz());
            put(ro, a, C_IPC, nz(s.meanOver(PerCpu.IPC, d.cpus())));
            put(ro, a, C_STALL, nz(s.meanOver(PerCpu.STALL, d.cpus())));
            put(ro, a, C_MPKI, nz(s.meanOver(PerCpu.MPKI, d.cpus())));
            put(ro, a, C_LC, layout.coreLcShare[a]);
            put(ro, a, C_BE, layout.coreBeShare[a]);
            put(ro, a, C_SLACK, minSlack(s, layout.coreLc[a]));
            double p = 0;
            for (int g : layout.coreLc[a]) {
                p = Math.max(p, nz(s.pressure(g)));
            }
            put(ro, a, C_PRESS, p);
            put(ro, a, C_ID, (double) a / n);
        }
    }

    private void encodeMemory(RoleObservations ro, HostStatus s, KnobState knobs) {
        int n = ro.agents();
        for (int a = 0; a < n; a++) {
            int level = decoder.mbaLevel(a, knobs.mba(a));
            ro.setCurrentLevel(a, level);
            put(ro, a, M_BW, nz(s.memUtil(layout.memDomain(a))));
            put(ro, a, M_LEVEL, ro.actions().fraction(level));
            put(ro, a, M_BEU, nz(s.meanOver(PerCpu.UTIL, layout.memBeCpus[a])));
            put(ro, a, M_BES, nz(s.meanOver(PerCpu.STALL, layout.memBeCpus[a])));
            put(ro, a, M_LCS, nz(s.meanOver(PerCpu.STALL, layout.memLcCpus[a])));
            put(ro, a, M_SLACK, minSlack(s, layout.memLc[a]));
            put(ro, a, M_ID, (double) a / n);
        }
    }

    private void encodeQuota(RoleObservations ro, HostStatus s, KnobState knobs) {
        int n = ro.agents();
        lcPeak.begin(obs.tick());
        for (int a = 0; a < n; a++) {
            int g = layout.quotaCgroup(a);
            Topology.CgroupInfo info = layout.topology().cgroups().get(g);
            int level = decoder.quotaLevel(a, knobs.quotaUsec(a));
            ro.setCurrentLevel(a, level);
            put(ro, a, Q_USAGE, nz(s.cgroupCpus(g)) / Math.max(1, info.cpus().size()));
            put(ro, a, Q_THR, nz(s.throttled(g)));
            put(ro, a, Q_LEVEL, ro.actions().fraction(level));
            put(ro, a, Q_PRESS, nz(s.pressure(g)));
            put(ro, a, Q_STALL, nz(s.meanOver(PerCpu.STALL, info.cpus())));
            put(ro, a, Q_SLACK, minSlack(s, layout.quotaLc[a]));
            put(ro, a, Q_LC, layout.quotaLcShare[a]);
            double lcUtil = layout.quotaLcCpus[a].length == 0 ? 0 : nz(s.meanOver(PerCpu.UTIL, layout.quotaLcCpus[a]));
            put(ro, a, Q_LCU, lcUtil);
            // a bursty neighbour's quiet spell: the job's quota is what its next burst meets
            put(ro, a, Q_LCP, lcPeak.peak(a, lcUtil, s.seconds()));
            double bw = 0;
            for (int m : layout.quotaMemDomains[a]) {
                bw = Math.max(bw, nz(s.memUtil(m)));
            }
            put(ro, a, Q_BW, bw);
            put(ro, a, Q_ID, (double) a / n);
        }
    }

    /** Sets feature {@code f} of agent {@code a} from its raw value, normalised as the role's spec says. */
    private static void put(RoleObservations ro, int a, int f, double raw) {
        ro.set(a, f, ro.spec().normalise(f, raw));
    }

    private static double nz(double v) {
        return HostStatus.nz(v);
    }

    private static double minSlack(HostStatus s, int[] lcGroups) {
        double m = 1;
        for (int g : lcGroups) {
            m = Math.min(m, s.slack(g));
        }
        return m;
    }
}
