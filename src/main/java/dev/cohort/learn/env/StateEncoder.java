package dev.cohort.learn.env;

import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Role;
import dev.cohort.policy.RoleObservations;

/**
 * The global state that mixers and critics see in training (never exported): the shared global features, then
 * per role whether it has agents, how many (over {@link #COUNT_SCALE}), and the mean and the maximum of each
 * local feature over its agents. A fixed width whatever the number of agents, so one mixer serves hosts with 8
 * or 16 core agents and with or without memory and quota agents.
 */
public final class StateEncoder {
    /** Agent counts are divided by this. */
    public static final double COUNT_SCALE = 16;
    private static final int GLOBAL = ObservationSpec.GLOBAL.size();

    private StateEncoder() {
    }

    /** Width of the state vector. */
    public static int size() {
        int n = GLOBAL;
        for (Role r : Role.values()) {
            n += 2 + 2 * local(r);
        }
        return n;
    }

    private static int local(Role r) {
        return ObservationSpec.of(r).size() - GLOBAL;
    }

    /** Fills {@code out} (at {@code off}) with the state of the tick {@code obs} describes. */
    public static void encode(Observations obs, float[] out, int off) {
        int k = off;
        boolean globalDone = false;
        for (Role r : Role.values()) {
            RoleObservations ro = obs.role(r);
            if (ro.agents() > 0 && !globalDone) {
                int base = ro.spec().size() - GLOBAL;
                for (int g = 0; g < GLOBAL; g++) {
                    out[k + g] = ro.get(0, base + g);
                }
                globalDone = true;
            }
        }
        if (!globalDone) {
            java.util.Arrays.fill(out, k, k + GLOBAL, 0f);
        }
        k += GLOBAL;
        for (Role r : Role.values()) {
            RoleObservations ro = obs.role(r);
            int n = ro.agents();
            int f = local(r);
            out[k++] = n > 0 ? 1 : 0;
            out[k++] = (float) (n / COUNT_SCALE);
            for (int j = 0; j < f; j++) {
                double sum = 0;
                float max = n > 0 ? Float.NEGATIVE_INFINITY : 0;
                for (int a = 0; a < n; a++) {
                    float v = ro.get(a, j);
                    sum += v;
                    max = Math.max(max, v);
                }
                out[k + j] = n > 0 ? (float) (sum / n) : 0;
                out[k + f + j] = max;
            }
            k += 2 * f;
        }
    }
}
