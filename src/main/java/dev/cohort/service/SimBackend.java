package dev.cohort.service;

import dev.cohort.platform.CohortException;
import dev.cohort.platform.sim.MachineSpec;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.platform.sim.SimMachine;

/**
 * The simulated machine as a daemon backend ({@code backend: sim}): the scenario and seed from {@code sim:}, its
 * cgroups (services, then batch jobs) instead of the configuration's, and knobs kept in memory (nothing outlives
 * the process, so there is no state file to restore). The daemon advances it by one period before each tick, in
 * real time. The energy normaliser is the scenario's full-load package power and the bandwidth normaliser its
 * per-socket peak, since both are known exactly here.
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
        SimMachine m = new SimMachine(s, cfg.sim().seed());
        MachineSpec ms = s.machine();
        return new Backend(m, m::advance, false, fullLoadWatts(ms), ms.memory().peakGBps() * 1e9);
    }

    /**
     * Package power with every core busy at the top frequency and memory at its peak, summed over packages, from the
     * model's own coefficients (docs/simulator.md §8): idle + uncore at peak + per core C·V²·f + leakage.
     */
    static double fullLoadWatts(MachineSpec m) {
        MachineSpec.Power p = m.power();
        double v = m.dvfs().maxVolts();
        double core = p.capacitanceNf() * 1e-9 * v * v * m.dvfs().maxKhz() * 1e3 + p.staticWattsPerVolt() * v;
        double pkg = p.packageIdleWatts() + p.uncoreWattsPerGBps() * m.memory().peakGBps() + m.coresPerSocket() * core;
        return pkg * m.sockets();
    }
}
