package dev.cohort.balance.cost;

import dev.cohort.platform.sim.MachineSpec;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;

/** Scenarios for the cost estimator's tests. */
final class CostTestScenarios {
    private CostTestScenarios() {
    }

    /** {@code name} with its machine's RAPL hidden (as {@code machine.rapl.present: false} hides it). */
    static Scenario withoutRapl(String name) {
        Scenario s = Scenarios.resolve(name);
        MachineSpec m = s.machine();
        var machine = new MachineSpec(m.sockets(), m.coresPerSocket(), m.coresPerFreqDomain(), m.reservedCpus(), m.dvfs(),
                m.power(), m.memory(), m.raplRangeUj(), false);
        return new Scenario(s.name(), s.description(), s.durationNanos(), s.tickNanos(), s.stepNanos(), machine, s.services(),
                s.batchJobs(), s.origin() + " (RAPL hidden)");
    }
}
