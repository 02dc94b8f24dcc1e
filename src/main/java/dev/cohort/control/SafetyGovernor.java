package dev.cohort.control;

import dev.cohort.platform.Setting;
import dev.cohort.policy.ActionSpace;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the agents' levels into a plan no policy can make unsafe: each level is checked (NaN, out of range
 * or {@link Decision#NO_CHANGE} mean "no change"), decoded to hardware units, clamped to hardware bounds and
 * configured floors, step-limited (a service's cores slow down at most a few levels per tick but speed up
 * at once; best-effort limits grow slowly but are cut at once), overridden when a service is in trouble
 * (its cores to full speed, best-effort work near it to the floors), held under the power budget, and
 * skipped inside the dead band. Only knobs whose value changes are written. Reserved CPUs never appear:
 * their domains have no agent.
 */
public final class SafetyGovernor {
    private final AgentLayout layout;
    private final ActionDecoder decoder;
    private final GovernorConfig cfg;
    /** The clamp's budget, W (NaN: none): the configured one until a balancer moves it ({@link #setPowerBudgetWatts}). */
    private double powerBudgetWatts;

    /**
     * One tick's plan.
     *
     * @param settings the settings to write, quota first, then bandwidth, then frequency
     * @param notes    what the governor overrode or refused, for the journal
     */
    public record Plan(List<Setting> settings, List<String> notes) {
        public Plan {
            settings = List.copyOf(settings);
            notes = List.copyOf(notes);
        }
    }

    public SafetyGovernor(AgentLayout layout, ActionDecoder decoder, GovernorConfig cfg) {
        this.layout = layout;
        this.decoder = decoder;
        this.cfg = cfg;
        this.powerBudgetWatts = cfg.powerBudgetWatts();
    }

    /** Moves the power budget the clamp holds, W (NaN: none); from the next plan on. */
    public void setPowerBudgetWatts(double watts) {
        this.powerBudgetWatts = watts;
    }

    /**
     * The settings to write this tick, quota first, then bandwidth, then frequency, and the notes on them.
     * {@code budgetBinds}: a balancer prices power above the configured λ to hold a power budget. Then the SLO
     * override still cuts best-effort quota and bandwidth to their floors but does not raise a service's cores to
     * full speed: the budget wins, as RAPL's cap does whatever the frequency limits ask, and the priced policy's own
     * order (the batch job's cores first, a service short of slack paying less, its quota and bandwidth when the
     * service is far past its SLO) is what protects the service there.
     */
    public Plan plan(Decision d, KnobState knobs, HostStatus s, boolean budgetBinds) {
        List<String> notes = new ArrayList<>();
        List<Setting> out = new ArrayList<>();
        planQuota(d.levels(Role.QUOTA), knobs, s, out, notes);
        planMemory(d.levels(Role.MEMORY), knobs, s, out, notes);
        planCores(d.levels(Role.CORE), knobs, s, out, notes, budgetBinds);
        return new Plan(out, notes);
    }

    private void planCores(int[] levels, KnobState knobs, HostStatus s, List<Setting> out, List<String> notes,
                           boolean budgetBinds) {
        var space = layout.actions(Role.CORE);
        boolean overBudget = !Double.isNaN(powerBudgetWatts) && s.packageWatts() > powerBudgetWatts;
        if (overBudget) {
            notes.add(String.format("power %.1f W over budget %.1f W: domains without services step down",
                    s.packageWatts(), powerBudgetWatts));
        }
        boolean held = false;
        for (int a = 0; a < levels.length; a++) {
            long current = knobs.freqKhz(a);
            int curLevel = decoder.freqLevel(a, current);
            int level = checked(Role.CORE, a, levels[a], space.max(), curLevel, notes);
            boolean servesLc = layout.coreLc[a].length > 0;
            if (servesLc) {
                level = Math.max(level, space.levelAtLeast(cfg.lcFreqFloor()));
                level = Math.max(level, curLevel - cfg.lcFreqStepDown());
                if (cfg.sloOverride() && anyInTrouble(layout.coreLc[a], s)) {
                    if (budgetBinds) {
                        held = true;
                    } else {
                        if (level != space.max()) {
                            notes.add("override: freq-domain " + layout.coreDomain(a) + " to full speed for a service in trouble");
                        }
                        level = space.max();
                    }
                }
            } else if (overBudget) {
                level = Math.min(level, Math.max(0, curLevel - 1));
            }
            long target = decoder.freqKhz(a, level);
            if (Math.abs(target - current) >= Math.max(1, cfg.freqDeadBandKhz())) {
                out.add(new Setting.FreqMaxKhz(layout.coreDomain(a), target));
            }
        }
        if (held) {
            notes.add("override held: a power budget binds, so a service in trouble keeps its cores at the policy's levels");
        }
    }

    private void planMemory(int[] levels, KnobState knobs, HostStatus s, List<Setting> out, List<String> notes) {
        var space = layout.actions(Role.MEMORY);
        for (int a = 0; a < levels.length; a++) {
            int current = knobs.mba(a);
            int curLevel = decoder.mbaLevel(a, current);
            int level = checked(Role.MEMORY, a, levels[a], space.max(), curLevel, notes);
            level = Math.min(level, curLevel + cfg.beGrowStep());
            if (cfg.sloOverride() && anyInTrouble(layout.memLc[a], s)) {
                if (level != 0) {
                    notes.add("override: mem-domain " + layout.memDomain(a) + " best-effort bandwidth to the floor");
                }
                level = 0;
            }
            int target = decoder.mba(a, level);
            if (target != current) {
                out.add(new Setting.MbaPercent(layout.memDomain(a), target));
            }
        }
    }

    private void planQuota(int[] levels, KnobState knobs, HostStatus s, List<Setting> out, List<String> notes) {
        var space = layout.actions(Role.QUOTA);
        int floor = quotaFloorLevel(space, cfg.beQuotaFloor());
        for (int a = 0; a < levels.length; a++) {
            long current = knobs.quotaUsec(a);
            int curLevel = decoder.quotaLevel(a, current);
            int level = checked(Role.QUOTA, a, levels[a], space.max(), curLevel, notes);
            level = Math.min(level, curLevel + cfg.beGrowStep());
            if (cfg.sloOverride() && anyInTrouble(layout.quotaLc[a], s)) {
                if (level != floor) {
                    notes.add("override: cgroup " + layout.topology().cgroups().get(layout.quotaCgroup(a)).name()
                            + " quota to the floor");
                }
                level = floor;
            }
            level = Math.max(level, floor);
            long target = decoder.quotaUsec(a, level);
            if (target != current) {
                out.add(new Setting.CpuMaxUsec(layout.quotaCgroup(a), target, decoder.quotaPeriodUsec()));
            }
        }
    }

    /** The lowest quota level the governor lets through: level i allows (i+1)/n of the CPUs, so the lowest at or above {@code floorShare}. */
    public static int quotaFloorLevel(ActionSpace space, double floorShare) {
        return Math.max(0, (int) Math.ceil(floorShare * space.levels() - 1e-9) - 1);
    }

    /** A valid level, or the current level (no change) for NO_CHANGE and anything out of range. */
    private static int checked(Role r, int agent, int level, int max, int current, List<String> notes) {
        if (level == Decision.NO_CHANGE) {
            return current;
        }
        if (level < 0 || level > max) {
            notes.add(r.id() + " agent " + agent + ": level " + level + " outside 0.." + max + ", no change");
            return current;
        }
        return level;
    }

    private boolean anyInTrouble(int[] lcGroups, HostStatus s) {
        for (int g : lcGroups) {
            if (s.inTrouble(g, cfg.overridePressure())) {
                return true;
            }
        }
        return false;
    }
}
