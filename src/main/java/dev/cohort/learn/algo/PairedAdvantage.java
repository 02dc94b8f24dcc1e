package dev.cohort.learn.algo;

import dev.cohort.learn.replay.PairScale;
import dev.cohort.policy.Role;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Paired advantages from the simulator ({@code learning.pairedAdvantage}, {@code docs/training.md} §4): during
 * collection, every {@code every} ticks one agent of the episode is branched from the run's exact snapshot, once at a
 * level drawn uniformly among the others and once at the level it chose, the other agents as they chose; both branches
 * then hold that tick's decision for {@code horizon} ticks and meet the same arrivals. The difference of their
 * discounted rewards is the tried level's one-tick worth in that state with the load's noise taken out. Value learners
 * add {@code weight} times the mean squared error between the difference of the agent's two acted-on values and that
 * worth (in standardised reward units) to their loss.
 *
 * @param every   branch every this many ticks of an episode (0: never)
 * @param horizon ticks of reward after the branched tick, discounted by the learner's γ
 * @param weight  weight of the paired loss beside the TD loss
 * @param alone   the values' differences between levels are learnt from the pairs alone: the TD loss (and the mixer)
 *                reach only each agent's mean value over its levels, so the return's noise no longer moves which level
 *                leads ({@code docs/training.md} §4, "Paired advantages")
 * @param scale   what the pairs are divided by ({@link PairScale})
 * @param byRole  the branched agent is drawn from a role drawn uniformly among the roles with agents, so each role's
 *                network gets its share of pairs, rather than uniformly over every agent (where the many frequency
 *                agents take most)
 * @param roleScales roles whose pairs are divided otherwise than by {@code scale} (each role's network learns only
 *                its own agents' differences, so each may have its own unit)
 * @param balanced each pair's squared error is weighed by how rare its training scenario's pairs are, so that every
 *                scenario counts alike in the paired loss however often it is drawn ({@code balance: scenarios}); a
 *                scenario drawn a fourteenth of the time otherwise teaches a state it shares with the others a
 *                fourteenth of its order
 * @param hold    the branched agent holds the level of its branch over the horizon too, rather than going back to the
 *                level it chose after the branched tick: the pair then measures a level held for {@code 1 + horizon}
 *                ticks, whose energy and whose risk both grow with the ticks it is held, so that a small certain
 *                saving is not one tick's against the noise of a rare miss ({@code docs/training.md} §4, "Held pairs")
 * @param reach   the level tried is drawn among those at most this many levels from the one chosen (0: among all), so the
 *                pairs measure the steps a greedy agent weighs, and a far level's cliff does not set the near ones' values
 *                ({@code docs/training.md} §4, "Near pairs")
 * @param roles   the roles whose agents are branched and, with {@code alone}, whose levels' differences are learnt from
 *                the pairs alone; the other roles learn from the TD loss as in a run without pairs ({@code
 *                docs/training.md} §4, "Pairs for the core agents only")
 */
public record PairedAdvantage(int every, int horizon, double weight, boolean alone, PairScale scale, boolean byRole,
                              Map<Role, PairScale> roleScales, boolean balanced, boolean hold, int reach,
                              Set<Role> roles) {
    /** No branching, no paired loss. */
    public static final PairedAdvantage NONE = new PairedAdvantage(0, 0, 0, false, PairScale.REWARD, false);

    /** Every role branched. */
    public PairedAdvantage(int every, int horizon, double weight, boolean alone, PairScale scale, boolean byRole,
                           Map<Role, PairScale> roleScales, boolean balanced, boolean hold, int reach) {
        this(every, horizon, weight, alone, scale, byRole, roleScales, balanced, hold, reach, EnumSet.allOf(Role.class));
    }

    /** The level tried drawn among all the others. */
    public PairedAdvantage(int every, int horizon, double weight, boolean alone, PairScale scale, boolean byRole,
                           Map<Role, PairScale> roleScales, boolean balanced, boolean hold) {
        this(every, horizon, weight, alone, scale, byRole, roleScales, balanced, hold, 0);
    }

    /** The branched agent back at its own level after the branched tick. */
    public PairedAdvantage(int every, int horizon, double weight, boolean alone, PairScale scale, boolean byRole,
                           Map<Role, PairScale> roleScales, boolean balanced) {
        this(every, horizon, weight, alone, scale, byRole, roleScales, balanced, false);
    }

    /** Every pair weighed alike. */
    public PairedAdvantage(int every, int horizon, double weight, boolean alone, PairScale scale, boolean byRole,
                           Map<Role, PairScale> roleScales) {
        this(every, horizon, weight, alone, scale, byRole, roleScales, false);
    }

    /** One scale for every role. */
    public PairedAdvantage(int every, int horizon, double weight, boolean alone, PairScale scale, boolean byRole) {
        this(every, horizon, weight, alone, scale, byRole, Map.of());
    }

    /** The branched agent drawn uniformly over every agent. */
    public PairedAdvantage(int every, int horizon, double weight, boolean alone, PairScale scale) {
        this(every, horizon, weight, alone, scale, false);
    }

    /** Differences learnt from both losses, pairs on the reward's scale. */
    public PairedAdvantage(int every, int horizon, double weight) {
        this(every, horizon, weight, false, PairScale.REWARD);
    }

    /** Pairs on the reward's scale. */
    public PairedAdvantage(int every, int horizon, double weight, boolean alone) {
        this(every, horizon, weight, alone, PairScale.REWARD);
    }

    public PairedAdvantage {
        if (every < 0 || horizon < 0 || !(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("pairedAdvantage: every and horizon must be at least 0 and weight finite and "
                    + "at least 0, got " + every + ", " + horizon + ", " + weight);
        }
        if (alone && !(every > 0 && weight > 0)) {
            throw new IllegalArgumentException("pairedAdvantage: alone needs pairs (every ≥ 1) and a positive weight");
        }
        java.util.Objects.requireNonNull(scale, "scale");
        roleScales = roleScales.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new EnumMap<>(roleScales));
        if (reach < 0) {
            throw new IllegalArgumentException("pairedAdvantage: reach must be at least 0 (0: every level), got " + reach);
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("pairedAdvantage: roles must name at least one role");
        }
        roles = java.util.Collections.unmodifiableSet(EnumSet.copyOf(roles));
        if (every > 0 && horizon < 1) {
            throw new IllegalArgumentException("pairedAdvantage: horizon must be at least 1 tick, got " + horizon);
        }
    }

    /** What each role's pairs are divided by, by {@link Role#ordinal()}. */
    public PairScale[] perRole() {
        PairScale[] out = new PairScale[Role.values().length];
        for (Role r : Role.values()) {
            out[r.ordinal()] = roleScales.getOrDefault(r, scale);
        }
        return out;
    }

    /** True when {@code role}'s agents are branched (and, with {@link #alone}, learn their levels' differences from pairs alone). */
    public boolean pairs(Role role) {
        return roles.contains(role);
    }

    /** True when episodes are branched. */
    public boolean on() {
        return every > 0;
    }

    @Override
    public String toString() {
        return on() ? "PairedAdvantage[every=" + every + ", horizon=" + horizon + ", weight=" + weight
                + (alone ? ", alone" : "") + (scale == PairScale.REWARD ? "" : ", per " + scale.name().toLowerCase(java.util.Locale.ROOT))
                + (roleScales.isEmpty() ? "" : ", per role " + roleScales.entrySet().stream()
                        .map(e -> e.getKey().id() + " " + e.getValue().name().toLowerCase(java.util.Locale.ROOT))
                        .collect(java.util.stream.Collectors.joining(", ")))
                + (byRole ? ", by role" : "") + (balanced ? ", scenarios balanced" : "") + (hold ? ", held" : "")
                + (reach > 0 ? ", reach " + reach : "")
                + (roles.size() == Role.values().length ? "" : ", roles " + roles.stream().map(Role::id)
                        .collect(java.util.stream.Collectors.joining(" "))) + "]"
                : "none";
    }
}
