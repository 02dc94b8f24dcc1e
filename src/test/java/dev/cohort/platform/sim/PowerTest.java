package dev.cohort.platform.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.ControlPlan;
import dev.cohort.platform.Setting;
import dev.cohort.platform.Signal;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.TelemetryInterval;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Power and energy: the formulas of §4.1, energy as the integral of power, and monotonicity in frequency. */
class PowerTest {
    @TempDir
    Path dir;

    @Test
    void packagePowerFollowsTheFormulaForIdleAndFullyBusyCores() {
        Scenario s = SimTests.scenario(dir, "busy", """
                machine: {sockets: 1, coresPerSocket: 4}
                batch:
                  - {name: spin, cpus: 0-3, kind: cpu, ipc: 2, mpki: 0}
                """);
        MachineSpec.Power p = s.machine().power();
        MachineSpec.Dvfs dvfs = s.machine().dvfs();
        for (long khz : new long[]{1_000_000, 1_800_000, 2_400_000, 3_000_000}) {
            SimMachine m = new SimMachine(s, 1);
            SimTests.applyExactly(m, SimTests.allFreqMax(m, khz));
            m.advance(10_000_000);
            double v = dvfs.volts(khz);
            double ghz = khz / 1e6;
            double expected = p.packageIdleWatts() + 4 * (p.capacitanceNf() * v * v * ghz + p.staticWattsPerVolt() * v);
            assertEquals(expected, m.packageWattsNow(0), 1e-9 * expected, "4 busy cores at " + khz + " kHz");
            assertEquals(p.dramIdleWatts(), m.dramWattsNow(0), 1e-9, "no memory traffic: DRAM at its idle power");
        }
        Scenario idle = SimTests.scenario(dir, "idle", "machine: {sockets: 1, coresPerSocket: 4}\n");
        SimMachine m = new SimMachine(idle, 1);
        m.advance(1_000_000);
        double v = dvfs.volts(dvfs.maxKhz());
        assertEquals(p.packageIdleWatts() + 4 * p.staticWattsPerVolt() * v, m.packageWattsNow(0), 1e-9,
                "idle cores leak but switch nothing");
    }

    @Test
    void energyIsTheIntegralOfPowerAndRaplReportsIt() {
        SimMachine m = new SimMachine(Scenarios.builtIn("large"), 3);
        Telemetry first = m.sample();
        double integral = 0;
        double[] perPackage = new double[2];
        List<Long> levels = m.topology().frequencyDomains().getFirst().availableKhz();
        for (int tick = 0; tick < 20; tick++) {
            // Change frequencies and the MBA limit every tick so power really varies.
            List<Setting> plan = new ArrayList<>(SimTests.allFreqMax(m, levels.get((tick * 7) % levels.size())));
            plan.addAll(SimTests.allMba(m, 10 + 10 * (tick % 10)));
            m.apply(new ControlPlan(tick, plan));
            for (int step = 0; step < 100; step++) {
                m.advance(1_000_000);
                for (int p = 0; p < 2; p++) {
                    integral += m.packageWattsNow(p) * 1e-3;
                    perPackage[p] += m.packageWattsNow(p) * 1e-3;
                }
            }
        }
        assertEquals(integral, m.trueEnergyJoules(), 1e-9 * integral, "energy = sum of power × step");
        Telemetry last = m.sample();
        for (int p = 0; p < 2; p++) {
            long uj = last.counter(Signal.PKG_ENERGY_UJ, p) - first.counter(Signal.PKG_ENERGY_UJ, p);
            assertEquals(perPackage[p] * 1e6, uj, 1.0 + 1e-9 * uj, "RAPL counter of package " + p);
        }
        TelemetryInterval iv = TelemetryInterval.between(first, last);
        assertEquals(integral / 2.0, iv.totalPackageWatts(), 1e-6 * integral, "mean power over 2 s from the counters");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"steady", "colocation", "membw"})
    void loweringFrequencyNeverRaisesDynamicPower(String name) {
        Scenario s = Scenarios.builtIn(name);
        double previous = Double.POSITIVE_INFINITY;
        List<Long> levels = new ArrayList<>(s.machine().dvfs().levelsKhz());
        java.util.Collections.reverse(levels);
        for (long khz : levels) {
            SimMachine m = new SimMachine(s, 5);
            SimTests.applyExactly(m, SimTests.allFreqMax(m, khz));
            m.advance(3_000_000_000L);
            double dynamicWatts = m.engine().power.dynamicJoules / 3.0;
            assertTrue(dynamicWatts <= previous * (1 + 1e-9),
                    name + ": dynamic power " + dynamicWatts + " W at " + khz + " kHz, above " + previous + " W one level up");
            previous = dynamicWatts;
        }
    }
}
