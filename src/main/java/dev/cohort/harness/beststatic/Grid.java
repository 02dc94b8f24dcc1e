package dev.cohort.harness.beststatic;

import dev.cohort.control.ActionDecoder;
import dev.cohort.control.AgentLayout;
import dev.cohort.control.ControllerConfig;
import dev.cohort.control.GovernorConfig;
import dev.cohort.control.SafetyGovernor;
import dev.cohort.harness.SimHarness;
import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.CpuSet;
import dev.cohort.platform.Topology;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.SimMachine;
import dev.cohort.policy.ActionSpace;
import dev.cohort.policy.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The fixed settings best-static tries on a scenario: every level of each role that has agents there (a scenario
 * without best-effort work has no memory or quota agents, so those roles do not multiply the grid), crossed. Levels
 * that the governor turns into the same knob values for every agent (a frequency snapped to the same driver step, a
 * quota under the governor's floor) give the same plan in every tick, so only the lowest of them is run and
 * {@link #collapsed()} says which were merged. Immutable.
 *
 * @param levels    per present role, the levels run, ascending
 * @param counts    per present role, how many levels its action space has
 * @param collapsed one line per merged level, e.g. {@code quota level 1 = level 0 (same knob values after the governor)}
 */
public record Grid(Map<Role, List<Integer>> levels, Map<Role, Integer> counts, List<String> collapsed) {
    public Grid {
        var l = new EnumMap<Role, List<Integer>>(Role.class);
        levels.forEach((r, v) -> l.put(r, List.copyOf(v)));
        var c = new EnumMap<Role, Integer>(Role.class);
        c.putAll(counts);
        if (!c.keySet().equals(l.keySet())) {
            throw new IllegalArgumentException("a grid needs a level count for each role it sets: " + l.keySet() + " against " + c.keySet());
        }
        levels = Collections.unmodifiableMap(l);
        counts = Collections.unmodifiableMap(c);
        collapsed = List.copyOf(collapsed);
    }

    /**
     * The grid of {@code sc} under {@code base}'s action levels and {@code governor}'s floors.
     *
     * @param only per role the levels to try instead of all (tests use a small grid); empty for every level
     */
    public static Grid of(Scenario sc, ControllerConfig base, GovernorConfig governor, Map<Role, List<Integer>> only) {
        SimMachine m = SimHarness.machine(sc, 1);
        Topology t = m.topology();
        AgentLayout layout = new AgentLayout(t, m.capabilities(), base);
        ActionDecoder decoder = new ActionDecoder(layout, base.quotaPeriodUsec());
        var levels = new EnumMap<Role, List<Integer>>(Role.class);
        var counts = new EnumMap<Role, Integer>(Role.class);
        List<String> collapsed = new ArrayList<>();
        CpuSet lcCpus = CpuSet.empty();
        for (int g : t.cgroupsWithRole(CgroupRole.LATENCY_CRITICAL)) {
            lcCpus = lcCpus.union(t.cgroups().get(g).cpus());
        }
        for (Role r : Role.values()) {
            if (layout.agents(r) == 0) {
                continue;
            }
            ActionSpace space = layout.actions(r);
            int[] tried = only.containsKey(r) ? only.get(r).stream().mapToInt(Integer::intValue).sorted().distinct().toArray()
                    : IntStream.range(0, space.levels()).toArray();
            List<Integer> kept = new ArrayList<>();
            long[] lastPlan = null;
            for (int level : tried) {
                if (level < 0 || level > space.max()) {
                    throw new IllegalArgumentException(r.id() + " level " + level + " outside 0.." + space.max());
                }
                long[] plan = plan(r, level, layout, decoder, governor, lcCpus);
                if (lastPlan != null && Arrays.equals(plan, lastPlan)) {
                    collapsed.add(r.id() + " level " + level + " = level " + kept.getLast() + " (same knob values after the governor)");
                    continue;
                }
                kept.add(level);
                lastPlan = plan;
            }
            levels.put(r, kept);
            counts.put(r, space.levels());
        }
        if (levels.isEmpty()) {
            throw new dev.cohort.platform.CohortException("best-static: scenario " + sc.name()
                    + " has no agents (no frequency, bandwidth or quota control to hold fixed)");
        }
        return new Grid(levels, counts, collapsed);
    }

    /**
     * The knob values every agent of role {@code r} ends at when held at {@code level}: decoded as the governor decodes
     * it, after its floors. Decoding is monotone in the level, so levels with equal values are neighbours, and a step
     * limit that stops short of either stops at a level of the same value: their plans agree tick by tick.
     */
    private static long[] plan(Role r, int level, AgentLayout layout, ActionDecoder decoder, GovernorConfig g, CpuSet lcCpus) {
        long[] v = new long[layout.agents(r)];
        ActionSpace space = layout.actions(r);
        for (int a = 0; a < v.length; a++) {
            v[a] = switch (r) {
                case CORE -> {
                    boolean servesLc = layout.topology().frequencyDomains().get(layout.coreDomain(a)).cpus().intersects(lcCpus);
                    yield decoder.freqKhz(a, servesLc ? Math.max(level, space.levelAtLeast(g.lcFreqFloor())) : level);
                }
                case MEMORY -> decoder.mba(a, level);
                case QUOTA -> decoder.quotaUsec(a, Math.max(level, SafetyGovernor.quotaFloorLevel(space, g.beQuotaFloor())));
            };
        }
        return v;
    }

    /** Number of points: the product of each present role's levels. */
    public int size() {
        int n = 1;
        for (List<Integer> l : levels.values()) {
            n *= l.size();
        }
        return n;
    }

    /** Point {@code index} (0..size-1), the last role varying fastest. */
    public Map<Role, Integer> point(int index) {
        var p = new EnumMap<Role, Integer>(Role.class);
        int rest = index;
        List<Role> roles = new ArrayList<>(levels.keySet());
        for (int i = roles.size() - 1; i >= 0; i--) {
            List<Integer> l = levels.get(roles.get(i));
            p.put(roles.get(i), l.get(rest % l.size()));
            rest /= l.size();
        }
        return p;
    }

    /** Every point in order. */
    public List<Map<Role, Integer>> points() {
        List<Map<Role, Integer>> out = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            out.add(point(i));
        }
        return out;
    }

    /** The {@code static} policy holding these levels: {@code static:core=0.9,quota=0.1}. */
    public String spec(Map<Role, Integer> point) {
        return spec(point, counts);
    }

    /**
     * The {@code static} policy holding {@code point}'s levels, each as the shortest decimal fraction of its range that
     * {@code static} maps back to the same level ({@link ActionSpace#nearestLevel}): 1 of 0..9 is {@code 0.1}.
     */
    public static String spec(Map<Role, Integer> point, Map<Role, Integer> counts) {
        StringBuilder sb = new StringBuilder("static:");
        for (Role r : Role.values()) {
            if (point.containsKey(r)) {
                sb.append(sb.length() > "static:".length() ? "," : "").append(r.id()).append('=')
                        .append(fraction(new ActionSpace(r, counts.get(r)), point.get(r)));
            }
        }
        return sb.toString();
    }

    private static String fraction(ActionSpace space, int level) {
        for (int digits = 0; ; digits++) {
            String s = new java.math.BigDecimal(String.format(Locale.ROOT, "%." + digits + "f", space.fraction(level)))
                    .stripTrailingZeros().toPlainString();
            if (space.nearestLevel(Double.parseDouble(s)) == level) {
                return s;
            }
        }
    }

    /** People's form of a point: {@code core 9/10, quota 1/9} (level of the top level). */
    public static String describe(Map<Role, Integer> point, Map<Role, Integer> counts) {
        List<String> parts = new ArrayList<>();
        for (Role r : Role.values()) {
            if (point.containsKey(r)) {
                parts.add(r.id() + " " + point.get(r) + "/" + (counts.get(r) - 1));
            }
        }
        return String.join(", ", parts);
    }
}
