package dev.cohort.platform.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.Control;
import dev.cohort.platform.ControlPlan;
import dev.cohort.platform.RestoreReport;
import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;
import dev.cohort.platform.SettingResult.Outcome;
import dev.cohort.platform.Signal;
import dev.cohort.platform.Telemetry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulated RAPL long-term limit: the package's average power settles at the limit by lowering every core's
 * frequency, an OS cap under the ceiling still rules, lifting or restoring the limit frees the cores, and a machine
 * without RAPL shows neither energy nor the limit.
 */
class PowerLimitTest {
    private static final long SECOND = 1_000_000_000L;

    private static SettingResult apply(SimMachine m, Setting s) {
        return m.apply(new ControlPlan(1, List.of(s))).getFirst();
    }

    /** Mean package power over {@code seconds} from now, W, from the energy counter as a host reads it. */
    private static double meanWatts(SimMachine m, int seconds) {
        Telemetry a = m.sample();
        m.advance(seconds * SECOND);
        Telemetry b = m.sample();
        return (b.counter(Signal.PKG_ENERGY_UJ, 0) - a.counter(Signal.PKG_ENERGY_UJ, 0)) / 1e6 / seconds;
    }

    @Test
    void theAverageSettlesAtTheLimitAndLiftingItFreesTheCores() {
        SimMachine m = new SimMachine(Scenarios.builtIn("colocation"), 3);
        double free = meanWatts(m, 3);
        long limitUw = Math.round(free * 0.7 * 1e6);
        assertEquals(Outcome.APPLIED, apply(m, new Setting.PowerLimitUw(0, limitUw, 1_000_000)).outcome());
        meanWatts(m, 3); // settling
        double held = meanWatts(m, 5);
        assertEquals(free * 0.7, held, free * 0.7 * 0.03, "within 3% of the limit over 5 s (free: " + free + " W)");
        long top = Scenarios.builtIn("colocation").machine().dvfs().maxKhz();
        assertTrue(m.powerLimitCeilingKhz(0) < top, "the cores run under the top frequency");
        assertTrue(m.sample().gauge(Signal.CPU_FREQ_KHZ, 0) <= m.powerLimitCeilingKhz(0), "and hosts see it");

        assertEquals(Outcome.APPLIED, apply(m, new Setting.PowerLimitUw(0, -1, 1_000_000)).outcome());
        assertEquals(top, m.powerLimitCeilingKhz(0), "no limit, no ceiling");
        assertEquals(free, meanWatts(m, 3), free * 0.05, "power back to what it was");
    }

    @Test
    void anOsCapBelowTheCeilingStillRulesAndRestorePutsTheMachineBack() {
        SimMachine m = new SimMachine(Scenarios.builtIn("steady"), 1);
        apply(m, new Setting.FreqMaxKhz(0, 1_500_000));
        apply(m, new Setting.PowerLimitUw(0, 5_000_000, 250_000)); // far below anything: the ceiling falls to the bottom
        m.advance(2 * SECOND);
        assertEquals(1_000_000, m.sample().gauge(Signal.CPU_FREQ_KHZ, 3), "the limit takes every core down");
        assertTrue(m.currentSettings().contains(new Setting.PowerLimitUw(0, 5_000_000, 250_000)), "the limit is a current setting");
        RestoreReport r = m.restore(false);
        assertTrue(r.ok(), r.toString());
        assertTrue(m.currentSettings().contains(new Setting.PowerLimitUw(0, -1, 1_000_000)), "no limit again");
        m.advance(SECOND / 10);
        assertEquals(3_000_000, m.sample().gauge(Signal.CPU_FREQ_KHZ, 3));
    }

    @Test
    void badLimitsAreRefusedAndChangeNothing() {
        SimMachine m = new SimMachine(Scenarios.builtIn("steady"), 1);
        SettingResult r = apply(m, new Setting.PowerLimitUw(0, 30_000_000, 100));
        assertEquals(Outcome.FAILED, r.outcome());
        assertTrue(r.detail().contains("outside 1000..40000000 µs"), r.detail());
        assertEquals(Outcome.FAILED, apply(m, new Setting.PowerLimitUw(3, 30_000_000, 1_000_000)).outcome(), "no package 3");
        assertTrue(m.currentSettings().contains(new Setting.PowerLimitUw(0, -1, 1_000_000)));
    }

    @Test
    void aMachineWithoutRaplHasNoEnergyCounterAndNoLimit(@TempDir Path dir) {
        Scenario s = SimTests.scenario(dir, "norapl", """
                machine: {sockets: 1, coresPerSocket: 4, rapl: {present: false}}
                batch:
                  - {name: spin, cpus: 0-3, kind: cpu}
                """);
        SimMachine m = new SimMachine(s, 1);
        assertFalse(m.capabilities().has(Signal.PKG_ENERGY_UJ));
        assertTrue(m.capabilities().signal(Signal.PKG_ENERGY_UJ).reason().contains("rapl.present: false"));
        assertFalse(m.capabilities().has(Control.POWER_LIMIT_UW));
        m.advance(SECOND);
        assertFalse(m.sample().has(Signal.PKG_ENERGY_UJ), "the sample carries no energy");
        assertTrue(m.trueEnergyJoules() > 0, "though the model still draws power");
        assertEquals(Outcome.UNSUPPORTED, apply(m, new Setting.PowerLimitUw(0, 10_000_000, 1_000_000)).outcome());
        assertTrue(m.currentSettings().stream().noneMatch(x -> x instanceof Setting.PowerLimitUw));
    }

    @Test
    void aSnapshotCarriesTheLimitAndItsAverage() {
        SimMachine m = new SimMachine(Scenarios.builtIn("colocation"), 5);
        m.advance(SECOND);
        apply(m, new Setting.PowerLimitUw(0, 40_000_000, 500_000));
        m.advance(SECOND);
        SimMachine.Snapshot snap = m.snapshot();
        m.advance(SECOND);
        double first = m.trueEnergyJoules();
        long ceiling = m.powerLimitCeilingKhz(0);
        m.restore(snap);
        m.advance(SECOND);
        assertEquals(first, m.trueEnergyJoules(), 0.0, "bit-identical after restore");
        assertEquals(ceiling, m.powerLimitCeilingKhz(0));
    }
}
