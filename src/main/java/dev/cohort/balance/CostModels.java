package dev.cohort.balance;

import dev.cohort.balance.cost.CostModel;
import dev.cohort.control.AgentLayout;
import dev.cohort.control.ControllerConfig;
import dev.cohort.platform.sim.SimMachine;
import java.nio.file.Path;

/** The cost estimator bound to a machine, as the price of each agent's levels. */
final class CostModels {
    private CostModels() {
    }

    /** {@code dir}'s cost model bound to {@code machine}'s agents (closed with the policy that prices by it). */
    static LevelCost bind(Path dir, SimMachine machine, ControllerConfig cfg) {
        return CostModel.load(dir).bind(new AgentLayout(machine.topology(), machine.capabilities(), cfg), cfg.tdpWatts());
    }
}
