package dev.cohort.learn.train;

import dev.cohort.learn.nn.AgentForward;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import dev.cohort.policy.RoleObservations;
import java.util.List;

/**
 * The trained policy as the exported models will act: each role's network (plain Java) with every agent's hidden
 * state carried from tick to tick, the highest output's level (the lowest on ties), as {@code OnnxPolicy}
 * decodes. Used for evaluation during training.
 */
public final class GreedyPolicy implements Policy {
    private final String name;
    private final List<AgentForward> nets;
    private final float[][] hidden = new float[Role.values().length][];
    private final float[][] out = new float[Role.values().length][];

    /** @param nets per role in {@link Role} order */
    public GreedyPolicy(String name, List<AgentForward> nets) {
        this.name = name;
        this.nets = nets;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Decision decide(Observations obs) {
        Decision d = Decision.noChange(obs);
        for (Role r : Role.values()) {
            RoleObservations ro = obs.role(r);
            int n = ro.agents();
            if (n == 0) {
                continue;
            }
            AgentForward net = nets.get(r.ordinal());
            int levels = net.net().outputs();
            if (hidden[r.ordinal()] == null || out[r.ordinal()].length != n * levels) {
                hidden[r.ordinal()] = new float[n * Math.max(1, net.net().hidden())];
                out[r.ordinal()] = new float[n * levels];
            }
            net.step(ro.data(), n, hidden[r.ordinal()], out[r.ordinal()]);
            int[] chosen = d.levels(r);
            for (int a = 0; a < n; a++) {
                chosen[a] = ExploringActor.argmax(out[r.ordinal()], a * levels, levels);
            }
        }
        return d;
    }

    @Override
    public void reset() {
        java.util.Arrays.fill(hidden, null);
    }
}
