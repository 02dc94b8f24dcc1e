package dev.cohort.balance;

import dev.cohort.balance.cost.CostModel;
import dev.cohort.control.AgentLayout;
import dev.cohort.control.ControllerConfig;
import java.nio.file.Path;

/** The cost estimator bound to a machine, as the price of each agent's levels. */
final class CostModels {
    private CostModels() {
    }

    /** {@code dir}'s cost model bound to {@code machine}'s agents (closed with the policy that prices by it). */
    static LevelCost bind(Path dir, AgentLayout layout, ControllerConfig cfg) {
        return CostModel.load(dir).bind(layout, cfg.tdpWatts());
    }
}
