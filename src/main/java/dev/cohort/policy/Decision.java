package dev.cohort.policy;

import java.util.Arrays;
import java.util.EnumMap;

/**
 * The level each agent chose, per role; {@link #NO_CHANGE} leaves a knob as it is. A policy that does not
 * act on a role leaves all its agents at NO_CHANGE.
 */
public final class Decision {
    /** The agent leaves its knob as it is. */
    public static final int NO_CHANGE = -1;
    private final EnumMap<Role, int[]> levels = new EnumMap<>(Role.class);

    /** A decision with every agent at NO_CHANGE. */
    public static Decision noChange(Observations obs) {
        var d = new Decision();
        for (Role r : Role.values()) {
            int[] l = new int[obs.role(r).agents()];
            Arrays.fill(l, NO_CHANGE);
            d.levels.put(r, l);
        }
        return d;
    }

    /** The chosen levels of a role (modifiable). */
    public int[] levels(Role r) {
        return levels.get(r);
    }

    /** Overwrites this role's levels with {@code other}'s. */
    public void copyRole(Role r, Decision other) {
        int[] src = other.levels(r);
        System.arraycopy(src, 0, levels.get(r), 0, src.length);
    }
}
