package dev.cohort.policy;

import java.util.EnumMap;

/**
 * Everything the agents see in one tick, per role, plus the global state vector that mixers and critics
 * use in training.
 */
public final class Observations {
    private final EnumMap<Role, RoleObservations> byRole;
    private long tick;

    public Observations(EnumMap<Role, RoleObservations> byRole) {
        this.byRole = byRole;
    }

    /** The role's observations (zero agents when the host lacks that control). */
    public RoleObservations role(Role r) {
        return byRole.get(r);
    }

    public long tick() {
        return tick;
    }

    public void setTick(long tick) {
        this.tick = tick;
    }
}
