package dev.cohort.service;

import dev.cohort.harness.SimHarness;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.platform.sim.SimMachine;
import dev.cohort.service.config.DaemonConfig;
import dev.cohort.service.config.Units;

/**
 * The simulated machine as a daemon backend ({@code backend: sim}): the scenario and seed from {@code sim:}, its
 * cgroups (services, then batch jobs) instead of the configuration's, and knobs kept in memory (nothing outlives
 * the process, so there is no state file to restore). The daemon advances it by one period before each tick, in
 * real time. The machine and its energy and bandwidth normalisers (peak package power, per-socket peak bandwidth,
 * known exactly here) come from {@link SimHarness}, as for {@code simulate}, {@code evaluate} and training.
 */
final class SimBackend {
    private SimBackend() {
    }

    static Backend open(DaemonConfig cfg) {
        Scenario s;
        try {
            s = Scenarios.resolve(cfg.sim().scenario());
        } catch (CohortException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CohortException("sim.scenario '" + cfg.sim().scenario() + "': " + e.getMessage()
                    + " (built-in: " + String.join(", ", Scenarios.builtInNames()) + ")");
        }
        if (cfg.periodNanos() % s.stepNanos() != 0) {
            throw new CohortException("period " + Units.formatNanos(cfg.periodNanos()) + " is not a whole number of the scenario's "
                    + Units.formatNanos(s.stepNanos()) + " steps");
        }
        SimMachine m = SimHarness.machine(s, cfg.sim().seed());
        var host = SimHarness.controllerConfig(m, cfg.controller());
        return new Backend(m, m::advance, false, host.tdpWatts(), host.memPeakBytesPerSec(), m.idlePackageWatts());
    }
}
