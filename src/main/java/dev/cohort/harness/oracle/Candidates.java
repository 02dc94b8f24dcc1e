package dev.cohort.harness.oracle;

import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import dev.cohort.policy.RoleObservations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The joint actions the oracle tries in one tick, without duplicates, in a fixed order (a tie goes to the earlier):
 * <ol>
 *   <li>what each lock-step policy decides this tick (every baseline by default: they see the oracle's own run,
 *       so each one's state is what it would be had it been deciding alongside);</li>
 *   <li>the uniform grid: every combination of {@code width} levels per role, each role's agents all at one level;</li>
 *   <li>with neighbours on, the oracle's last choice, and it moved one level up and one down in each role;</li>
 *   <li>with a throttled policy (under a power budget), that policy's decision with every core capped at each
 *       frequency level below the top in turn: what a power limit such as PL1 makes of its decision.</li>
 * </ol>
 * Not thread-safe: one oracle owns it.
 */
final class Candidates implements AutoCloseable {
    private final List<Policy> policies;
    private final int width;
    private final boolean neighbours;
    private final int throttled;
    private Decision last;

    Candidates(List<Policy> policies, int width, boolean neighbours) {
        this(policies, width, neighbours, -1);
    }

    /** @param throttled the index among {@code policies} of the one whose decision is also tried capped (-1: none) */
    Candidates(List<Policy> policies, int width, boolean neighbours, int throttled) {
        this.policies = List.copyOf(policies);
        this.width = width;
        this.neighbours = neighbours;
        this.throttled = throttled;
    }

    /** This tick's candidates; every lock-step policy decides exactly once. */
    List<Decision> of(Observations obs) {
        List<Decision> out = new ArrayList<>();
        Set<Key> seen = new HashSet<>();
        Decision capped = null;
        for (int i = 0; i < policies.size(); i++) {
            Decision d;
            try {
                d = copy(policies.get(i).decide(obs), obs);
            } catch (RuntimeException e) {
                continue; // a rule that fails offers nothing this tick; the others still do
            }
            add(d, out, seen);
            if (i == throttled) {
                capped = d;
            }
        }
        grid(obs, out, seen);
        if (capped != null) {
            RoleObservations ro = obs.role(Role.CORE);
            for (int cap = ro.actions().max() - 1; cap >= 0; cap--) {
                Decision c = copy(capped, obs);
                int[] l = c.levels(Role.CORE);
                for (int a = 0; a < l.length; a++) {
                    l[a] = Math.min(cap, l[a] == Decision.NO_CHANGE ? ro.currentLevel(a) : l[a]);
                }
                add(c, out, seen);
            }
        }
        if (neighbours && last != null) {
            add(last, out, seen);
            for (Role r : Role.values()) {
                add(shifted(last, obs, r, 1), out, seen);
                add(shifted(last, obs, r, -1), out, seen);
            }
        }
        return out;
    }

    /** Records the oracle's choice, the centre of the next tick's neighbours. */
    void chosen(Decision d) {
        last = d;
    }

    /** Forgets the last choice and every lock-step policy's state. */
    void reset() {
        last = null;
        policies.forEach(Policy::reset);
    }

    @Override
    public void close() {
        policies.forEach(Policy::close);
    }

    /** Every combination of {@code width} evenly spread levels per role that has agents. */
    private void grid(Observations obs, List<Decision> out, Set<Key> seen) {
        List<Role> roles = Arrays.stream(Role.values()).filter(r -> obs.role(r).agents() > 0).toList();
        int combos = (int) Math.pow(width, roles.size());
        for (int k = 0; k < combos; k++) {
            Decision d = Decision.noChange(obs);
            int rest = k;
            for (Role r : roles) {
                int i = rest % width;
                rest /= width;
                Arrays.fill(d.levels(r), gridLevel(obs.role(r).actions().max(), i));
            }
            add(d, out, seen);
        }
    }

    /** Level {@code i} of the grid over 0..max: evenly spread, both ends included (one level: the top). */
    private int gridLevel(int max, int i) {
        return width == 1 ? max : (int) Math.round((double) i * max / (width - 1));
    }

    /** {@code d} with every agent of {@code role} moved {@code delta} levels (from its present level where d leaves it). */
    private static Decision shifted(Decision d, Observations obs, Role role, int delta) {
        Decision s = copy(d, obs);
        RoleObservations ro = obs.role(role);
        int[] l = s.levels(role);
        for (int a = 0; a < l.length; a++) {
            int base = l[a] == Decision.NO_CHANGE ? ro.currentLevel(a) : l[a];
            l[a] = Math.max(0, Math.min(ro.actions().max(), base + delta));
        }
        return s;
    }

    /** A copy the policy cannot change afterwards (policies may reuse their decisions). */
    private static Decision copy(Decision d, Observations obs) {
        Decision c = Decision.noChange(obs);
        for (Role r : Role.values()) {
            if (d.levels(r).length != c.levels(r).length) {
                throw new IllegalArgumentException(r.id() + ": " + d.levels(r).length + " levels for "
                        + c.levels(r).length + " agents");
            }
            c.copyRole(r, d);
        }
        return c;
    }

    private static void add(Decision d, List<Decision> out, Set<Key> seen) {
        if (seen.add(Key.of(d))) {
            out.add(d);
        }
    }

    /** The levels of every role, compared by value. */
    private record Key(int[][] levels) {
        static Key of(Decision d) {
            int[][] l = new int[Role.values().length][];
            for (Role r : Role.values()) {
                l[r.ordinal()] = d.levels(r);
            }
            return new Key(l);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.deepEquals(levels, k.levels);
        }

        @Override
        public int hashCode() {
            return Arrays.deepHashCode(levels);
        }
    }
}
