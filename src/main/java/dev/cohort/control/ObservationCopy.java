package dev.cohort.control;

import dev.cohort.policy.Observations;
import dev.cohort.policy.Role;
import dev.cohort.policy.RoleObservations;

/** A frozen copy of one tick's observations (every role's matrix and current levels), for a controller's snapshot. */
final class ObservationCopy {
    private final long tick;
    private final float[][] data;
    private final int[][] levels;

    private ObservationCopy(long tick, float[][] data, int[][] levels) {
        this.tick = tick;
        this.data = data;
        this.levels = levels;
    }

    static ObservationCopy of(Observations obs) {
        Role[] roles = Role.values();
        float[][] data = new float[roles.length][];
        int[][] levels = new int[roles.length][];
        for (Role r : roles) {
            RoleObservations ro = obs.role(r);
            data[r.ordinal()] = ro.copyOfData();
            levels[r.ordinal()] = new int[ro.agents()];
            for (int a = 0; a < ro.agents(); a++) {
                levels[r.ordinal()][a] = ro.currentLevel(a);
            }
        }
        return new ObservationCopy(obs.tick(), data, levels);
    }

    /** Copies {@code from} into {@code to}, observations of the same layout (no allocation). */
    static void copy(Observations from, Observations to) {
        to.setTick(from.tick());
        for (Role r : Role.values()) {
            RoleObservations a = from.role(r);
            RoleObservations b = to.role(r);
            System.arraycopy(a.data(), 0, b.data(), 0, a.data().length);
            for (int i = 0; i < a.agents(); i++) {
                b.setCurrentLevel(i, a.currentLevel(i));
            }
        }
    }

    /** Writes the copy into {@code obs}, observations of the same layout. */
    void copyTo(Observations obs) {
        obs.setTick(tick);
        for (Role r : Role.values()) {
            RoleObservations ro = obs.role(r);
            float[] d = data[r.ordinal()];
            if (d.length != ro.data().length) {
                throw new IllegalArgumentException("Controller.restore(): a snapshot of another agent layout (" + r.id()
                        + " observations of " + d.length + " values, these hold " + ro.data().length + ")");
            }
            System.arraycopy(d, 0, ro.data(), 0, d.length);
            for (int a = 0; a < ro.agents(); a++) {
                ro.setCurrentLevel(a, levels[r.ordinal()][a]);
            }
        }
    }
}
