package dev.cohort.learn.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.sim.ArrivalSpec;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.platform.sim.SimMachine;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScenarioSamplerTest {
    private static final Variation V = new Variation(0.3, 0.95, 0.2, 0.3, 0.3, 0.25, 0.1, 20, 60, false);

    @Test
    void noVariationIsTheFileItself() {
        Scenario s = Scenarios.builtIn("membw");
        assertSame(s, ScenarioSampler.sample(s, Variation.NONE, new SplittableRandom(1)));
    }

    @Test
    void variantsStayInTheirRangesAndAreDeterministic() {
        Scenario base = Scenarios.builtIn("diurnal");
        var d0 = (ArrivalSpec.Diurnal) base.services().getFirst().arrivals();
        for (long seed = 0; seed < 50; seed++) {
            Scenario v = ScenarioSampler.sample(base, V, new SplittableRandom(seed));
            assertEquals(v, ScenarioSampler.sample(base, V, new SplittableRandom(seed)));
            var d = (ArrivalSpec.Diurnal) v.services().getFirst().arrivals();
            assertTrue(d.periodNanos() >= 20e9 && d.periodNanos() <= 60e9, "period " + d.periodNanos());
            assertTrue(d.minRatePerSec() >= 0.7 * d0.minRatePerSec() - 1e-9 && d.minRatePerSec() <= 1.3 * d0.minRatePerSec() + 1e-9);
            long slo = v.services().getFirst().sloUsec();
            assertTrue(slo >= 0.8 * 6000 - 1 && slo <= 1.2 * 6000 + 1, "slo " + slo);
            long max = v.machine().dvfs().maxKhz();
            assertTrue(max >= 2_700_000 && max <= 3_300_000 && max % v.machine().dvfs().stepKhz() == 0, "max " + max);
            // the peak load at the drawn top frequency stays under maxLoad unless the file itself is above it
            var req = v.services().getFirst().request();
            double perRequest = req.serviceNanos(max, v.machine().memory().idleLatencyNanos()) * 1e-9 / 8;
            double load = d.peakRatePerSec() * perRequest;
            assertTrue(load <= Math.max(0.95, d0.peakRatePerSec() * perRequest) + 1e-9, "peak load " + load);
            new SimMachine(v, 1000).advance(v.tickNanos()); // runs
        }
        assertNotEquals(ScenarioSampler.sample(base, V, new SplittableRandom(1)), ScenarioSampler.sample(base, V, new SplittableRandom(2)));
    }

    @Test
    void batchJobsAndMemoryAreVaried() {
        Scenario base = Scenarios.builtIn("membw");
        Scenario v = ScenarioSampler.sample(base, V, new SplittableRandom(3));
        double mpki = v.batchJobs().getFirst().mpki();
        assertTrue(mpki >= 70 && mpki <= 130 && mpki != 100, "mpki " + mpki);
        double peak = v.machine().memory().peakGBps();
        assertTrue(peak >= 45 && peak <= 75 && peak != 60, "peak " + peak);
    }

    @Test
    void aRandomPhaseStartsTheCycleAnywhere() {
        var d = new ArrivalSpec.Diurnal(100, 900, 60_000_000_000L);
        ArrivalSpec.Step atStart = ScenarioSampler.shifted(d, 0);
        ArrivalSpec.Step atPeak = ScenarioSampler.shifted(d, 0.5);
        assertEquals(240, atStart.ratesPerSec().size(), "half-second steps over two periods");
        assertEquals(d.rateAt(0.25e9), atStart.ratesPerSec().getFirst(), 1e-9);
        assertTrue(atStart.ratesPerSec().getFirst() < 101 && atPeak.ratesPerSec().getFirst() > 899, "min first, then peak first");
        assertEquals(d.rateAt(30.25e9), atPeak.ratesPerSec().getFirst(), 1e-9);
        Scenario v = ScenarioSampler.sample(Scenarios.builtIn("diurnal"), new Variation(0, 0.95, 0, 0, 0, 0, 0, 0, 0, true),
                new SplittableRandom(4));
        assertTrue(v.services().getFirst().arrivals() instanceof ArrivalSpec.Step);
        new SimMachine(v, 1000).advance(v.tickNanos());
    }

    @Test
    void variationReadsAsWordsNotARecordDump() {
        assertEquals("none", Variation.NONE.toString());
        Variation v = new Variation(0.3, 0.95, 0.2, 0, 0, 0, 0.1, 60, 600, true);
        assertEquals("load ±30% (at most 95% busy), SLO ±20%, top frequency ±10%, diurnal period 60 s–10 min, diurnal phase random",
                v.toString());
    }
}
