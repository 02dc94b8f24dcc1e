package dev.cohort.learn.train;

import dev.cohort.control.AgentLayout;
import dev.cohort.control.ControllerConfig;
import dev.cohort.learn.algo.Learner;
import dev.cohort.learn.algo.Learners;
import dev.cohort.learn.env.StateEncoder;
import dev.cohort.platform.sim.SimMachine;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Role;

/**
 * A run's learner and the sizes it is built to, per role (by ordinal): the observation's features, the levels of the
 * actions on the first training scenario's machine, and the agents' recurrent widths (0 for a feed-forward agent).
 * Training and every reader of its checkpoint build it the same way, so a checkpoint's weights fit.
 */
record RunShape(int[] features, int[] levels, int[] hidden, Learner learner) {

    /** The shape of {@code cfg}'s run, its levels read from {@code probe} (a machine of the first training scenario). */
    static RunShape of(TrainConfig cfg, SimMachine probe) {
        int roles = Role.values().length;
        int[] features = new int[roles];
        int[] levels = new int[roles];
        AgentLayout layout = new AgentLayout(probe.topology(), probe.capabilities(), ControllerConfig.DEFAULT);
        for (Role r : Role.values()) {
            features[r.ordinal()] = ObservationSpec.of(r).size();
            levels[r.ordinal()] = layout.actions(r).levels();
        }
        Learner learner = Learners.create(cfg.algorithm(), cfg.learner(), features, levels, StateEncoder.size(), cfg.seed());
        int[] hidden = new int[roles];
        for (Role r : Role.values()) {
            var n = learner.agents().get(r.ordinal());
            hidden[r.ordinal()] = n.recurrent() ? n.hidden() : 0;
        }
        return new RunShape(features, levels, hidden, learner);
    }
}
