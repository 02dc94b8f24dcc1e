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
import dev.cohort.platform.TelemetryInterval;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Controls behave like the kernel's knobs: clamping shows, bad values fail with a reason, restore undoes all. */
class ControlsTest {

    private static SettingResult apply(SimMachine m, Setting s) {
        List<SettingResult> r = m.apply(new ControlPlan(1, List.of(s)));
        assertEquals(1, r.size());
        return r.getFirst();
    }

    @Test
    void frequencyCapsSnapDownToALevelAndTheDomainRunsThere() {
        SimMachine m = new SimMachine(Scenarios.builtIn("steady"), 1);
        SettingResult r = apply(m, new Setting.FreqMaxKhz(2, 2_050_000));
        assertEquals(Outcome.CLAMPED, r.outcome());
        assertEquals("requested 2050000, applied 2000000", r.detail());
        assertEquals(Outcome.CLAMPED, apply(m, new Setting.FreqMaxKhz(3, 9_000_000)).outcome(), "above the range");
        assertEquals("3000000", apply(m, new Setting.FreqMaxKhz(3, 9_000_000)).applied());
        assertEquals(Outcome.APPLIED, apply(m, new Setting.FreqMaxKhz(4, 1_200_000)).outcome());
        Telemetry a = m.sample();
        m.advance(1_000_000_000);
        Telemetry b = m.sample();
        assertEquals(2_000_000, b.gauge(Signal.CPU_FREQ_KHZ, 2));
        assertEquals(1_200_000, b.gauge(Signal.CPU_FREQ_KHZ, 4));
        assertEquals(3_000_000, b.gauge(Signal.CPU_FREQ_KHZ, 0), "other domains untouched");
        TelemetryInterval iv = TelemetryInterval.between(a, b);
        double cyclesPerBusyNs = iv.delta(Signal.CPU_CYCLES, 4) / iv.delta(Signal.CPU_BUSY_NANOS, 4);
        assertEquals(1.2, cyclesPerBusyNs, 1e-3, "a busy core at 1.2 GHz counts 1.2 cycles per ns");
    }

    @Test
    void sharedFrequencyDomainsMoveTogether(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Scenario s = SimTests.scenario(dir, "shared", """
                machine: {sockets: 2, coresPerSocket: 4, coresPerFreqDomain: 2, reservedCpus: "0"}
                batch:
                  - {name: spin, cpus: 0-7, kind: cpu}
                """);
        SimMachine m = new SimMachine(s, 1);
        var t = m.topology();
        assertEquals(4, t.frequencyDomains().size());
        assertEquals("policy2", t.frequencyDomains().get(1).name());
        assertEquals("2-3", t.frequencyDomains().get(1).cpus().toString());
        assertEquals(21, t.frequencyDomains().get(1).availableKhz().size(), "1.0 to 3.0 GHz in 100 MHz steps");
        assertEquals(2, t.memoryDomains().size());
        assertEquals("4-7", t.memoryDomains().get(1).cpus().toString());
        assertFalse(t.isManaged(t.frequencyDomains().get(0)), "domain 0 holds reserved CPU 0");
        assertEquals(Outcome.APPLIED, apply(m, new Setting.FreqMaxKhz(1, 1_400_000)).outcome());
        m.advance(1_000_000);
        Telemetry x = m.sample();
        assertEquals(1_400_000, x.gauge(Signal.CPU_FREQ_KHZ, 2));
        assertEquals(1_400_000, x.gauge(Signal.CPU_FREQ_KHZ, 3));
        assertEquals(3_000_000, x.gauge(Signal.CPU_FREQ_KHZ, 4));
        assertTrue(m.packageWattsNow(0) < m.packageWattsNow(1), "the slower package draws less");
    }

    @Test
    void advanceTakesWholeSteps() {
        SimMachine m = new SimMachine(Scenarios.builtIn("steady"), 1);
        m.advance(3_000_000);
        assertEquals(3, m.stepsTaken());
        assertEquals(3_000_000, m.nowNanos());
        assertEquals(3_000_000, m.sample().timestampNanos());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> m.advance(1_500_000));
    }

    @Test
    void aMinimumAboveTheMaximumLosesAsInCpufreq() {
        SimMachine m = new SimMachine(Scenarios.builtIn("steady"), 1);
        apply(m, new Setting.FreqMaxKhz(0, 1_500_000));
        assertEquals(Outcome.APPLIED, apply(m, new Setting.FreqMinKhz(0, 2_500_000)).outcome());
        m.advance(1_000_000);
        assertEquals(1_500_000, m.sample().gauge(Signal.CPU_FREQ_KHZ, 0));
    }

    @Test
    void mbaRoundsUpToTheHardwareStep() {
        SimMachine m = new SimMachine(Scenarios.builtIn("membw"), 1);
        SettingResult r = apply(m, new Setting.MbaPercent(0, 15));
        assertEquals(Outcome.CLAMPED, r.outcome());
        assertEquals("requested 15, applied 20", r.detail());
        SettingResult low = apply(m, new Setting.MbaPercent(0, 5));
        assertEquals(Outcome.FAILED, low.outcome());
        assertEquals("MB value 5 out of range [10,100]", low.detail());
    }

    @Test
    void badIndicesAndValuesFailWithAReasonAndChangeNothing() {
        SimMachine m = new SimMachine(Scenarios.builtIn("colocation"), 1);
        List<Setting> before = m.currentSettings();
        List<SettingResult> r = m.apply(new ControlPlan(1, List.of(
                new Setting.FreqMaxKhz(8, 2_000_000),
                new Setting.MbaPercent(1, 50),
                new Setting.CpuMaxUsec(5, 50_000, 100_000),
                new Setting.CpuMaxUsec(1, 500, 100_000),
                new Setting.CpuMaxUsec(1, 50_000, 2_000_000),
                new Setting.CpuWeight(1, 0),
                new Setting.FreqMaxKhz(0, -5))));
        for (SettingResult x : r) {
            assertEquals(Outcome.FAILED, x.outcome(), x.toString());
            assertFalse(x.detail().isBlank(), "says why: " + x);
        }
        assertEquals("the simulated machine has no frequency domain 8 (it has 8: 0..7)", r.get(0).detail());
        assertEquals("the simulated machine has no memory domain 1 (it has 1: 0..0)", r.get(1).detail());
        assertEquals("cpu.max quota 500 µs is below the minimum 1000 µs (Invalid argument)", r.get(3).detail());
        assertEquals("cpu.max period 2000000 µs is outside 1000..1000000 µs (Invalid argument)", r.get(4).detail());
        assertEquals("cpu.weight 0 is outside 1..10000 (Numerical result out of range)", r.get(5).detail());
        assertEquals(before, m.currentSettings(), "nothing changed");
    }

    @Test
    void eppIsUnsupportedWithTheReason() {
        SimMachine m = new SimMachine(Scenarios.builtIn("steady"), 1);
        SettingResult r = apply(m, new Setting.Epp(0, "balance_power"));
        assertEquals(Outcome.UNSUPPORTED, r.outcome());
        assertTrue(r.detail().contains("does not model EPP"), r.detail());
        assertFalse(m.capabilities().has(Control.EPP));
        for (Signal s : SimTopology.SIGNALS) {
            assertTrue(m.capabilities().has(s), s + " is available");
            assertTrue(m.sample().has(s), s + " is sampled");
        }
        assertFalse(m.capabilities().signal(Signal.SYS_IO_PRESSURE_SOME_USEC).reason().isBlank());
    }

    @Test
    void currentSettingsShowEveryKnobAndRestorePutsThemBack() {
        SimMachine m = new SimMachine(Scenarios.builtIn("colocation"), 1);
        List<Setting> original = m.currentSettings();
        // 8 domains × (max, min) + 2 cgroups × (cpu.max, weight) + 1 MBA domain + 1 package power limit.
        assertEquals(8 * 2 + 2 * 2 + 1 + 1, original.size());
        assertTrue(original.contains(new Setting.PowerLimitUw(0, -1, 1_000_000)), "no power limit at first");
        assertTrue(original.contains(new Setting.CpuMaxUsec(1, -1, 100_000)));
        assertTrue(original.contains(new Setting.MbaPercent(0, 100)));
        m.apply(new ControlPlan(1, List.of(new Setting.FreqMaxKhz(0, 1_000_000), new Setting.CpuMaxUsec(1, 50_000, 100_000),
                new Setting.CpuWeight(0, 500), new Setting.MbaPercent(0, 30))));
        assertTrue(m.currentSettings().contains(new Setting.CpuMaxUsec(1, 50_000, 100_000)));
        assertTrue(m.currentSettings().contains(new Setting.CpuWeight(0, 500)));
        RestoreReport report = m.restore(false);
        assertTrue(report.ok());
        assertEquals(4, report.count(RestoreReport.Outcome.RESTORED));
        assertEquals(original, m.currentSettings());
    }

    @Test
    void cpuWeightDecidesTheShareOfASharedCore() {
        // Colocation with the service at 10x the batch job's weight: its requests barely slow down.
        SimMachine equal = new SimMachine(Scenarios.builtIn("colocation"), 2);
        SimMachine favoured = new SimMachine(Scenarios.builtIn("colocation"), 2);
        SimTests.applyExactly(favoured, List.of(new Setting.CpuWeight(0, 1000)));
        double p99Equal = SimTests.runTicks(equal, 0, 1, 50).meanTickP99Usec();
        double p99Favoured = SimTests.runTicks(favoured, 0, 1, 50).meanTickP99Usec();
        assertTrue(p99Favoured < 0.7 * p99Equal, "p99 " + p99Favoured + " us at weight 1000 vs " + p99Equal + " us at 100");
    }
}
