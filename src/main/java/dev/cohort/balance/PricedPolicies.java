package dev.cohort.balance;

import dev.cohort.control.AgentLayout;
import dev.cohort.control.ControllerConfig;
import dev.cohort.harness.SimHarness;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.sim.SimMachine;
import dev.cohort.policy.OnnxPolicy;
import dev.cohort.policy.Policies;
import dev.cohort.policy.Policy;

/** Opens a policy that follows λ: a learned one priced by the cost model ({@link PricedPolicy}). */
public final class PricedPolicies {
    private PricedPolicies() {
    }

    /**
     * {@code spec}'s policy for {@code machine}, priced by {@code pricing}'s cost model, for a balancer whose λ reaches
     * at most {@code lambdaMax}.
     *
     * @throws CohortException when {@code spec} is not a learned policy (a baseline does not read λ) or its models
     *                         cannot be priced
     */
    public static Policy open(String spec, SimMachine machine, ControllerConfig base, BudgetLoop.Pricing pricing,
                              double lambdaMax) {
        Policy p = Policies.create(spec, machine.topology());
        if (!(p instanceof OnnxPolicy learned)) {
            p.close();
            throw new CohortException("policy " + spec + " does not follow λ: only a learned policy can be priced (use"
                    + " learned or onnx:DIR, or a balancer that does not move λ: rapl, governor)");
        }
        try {
            ControllerConfig cfg = SimHarness.controllerConfig(machine, base);
            AgentLayout layout = new AgentLayout(machine.topology(), machine.capabilities(), cfg);
            LevelCost cost = CostModels.bind(pricing.costModel(), layout, cfg);
            return new PricedPolicy(learned, cost, cfg.lambda(), pricing.priceScale(), cfg.tdpWatts(), lambdaMax,
                    layout.coreServiceGroups());
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }
}
