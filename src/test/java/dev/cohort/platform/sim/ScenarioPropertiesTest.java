package dev.cohort.platform.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.Setting;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The built-in scenarios pose the questions they are meant to: in {@code membw} MBA decides the service's
 * tail, in {@code colocation} the batch job's CPU quota does, and in {@code steady} the lowest frequency still
 * nearly meets the target at much less energy. Each is driven with fixed plans, 20 s of 100 ms ticks.
 */
class ScenarioPropertiesTest {
    private static final int TICKS = 200;

    private static SimTests.TickStats run(String scenario, List<Setting> plan) {
        SimMachine m = new SimMachine(Scenarios.builtIn(scenario), 17);
        List<Setting> all = new ArrayList<>(SimTests.allFreqMax(m, 3_000_000));
        all.addAll(plan);
        SimTests.applyExactly(m, all);
        int batch = m.topology().cgroups().size() > 1 ? 1 : -1;
        return SimTests.runTicks(m, 0, batch, TICKS);
    }

    @Test
    void membwUnthrottledStreamBreaksTheSloAndMbaRestoresIt() {
        SimMachine shape = new SimMachine(Scenarios.builtIn("membw"), 17);
        SimTests.TickStats open = run("membw", SimTests.allMba(shape, 100));
        SimTests.TickStats mba20 = run("membw", SimTests.allMba(shape, 20));
        SimTests.TickStats mba10 = run("membw", SimTests.allMba(shape, 10));
        assertTrue(open.overSloShare() >= 0.5, "MBA 100%: p99 over the SLO in " + open.overSloShare() + " of ticks");
        assertTrue(mba20.overSloShare() <= 0.1, "MBA 20%: p99 over the SLO in " + mba20.overSloShare() + " of ticks");
        assertTrue(mba10.overSloShare() <= 0.1, "MBA 10%: p99 over the SLO in " + mba10.overSloShare() + " of ticks");
        assertTrue(mba20.batchInstructions() < 0.6 * open.batchInstructions(), "the stream pays in throughput");
    }

    @Test
    void colocationQuotaOnTheBatchJobDecidesTheServiceTail() {
        SimTests.TickStats open = run("colocation", List.of(new Setting.CpuMaxUsec(1, -1, 100_000)));
        SimTests.TickStats oneCpu = run("colocation", List.of(new Setting.CpuMaxUsec(1, 100_000, 100_000)));
        assertTrue(open.overSloShare() >= 0.5, "no quota: p99 over the SLO in " + open.overSloShare() + " of ticks");
        assertTrue(oneCpu.overSloShare() <= 0.2, "1-CPU quota: p99 over the SLO in " + oneCpu.overSloShare() + " of ticks");
        assertTrue(oneCpu.batchInstructions() < 0.3 * open.batchInstructions(), "the batch job pays in throughput");
    }

    @Test
    void steadyAtTheLowestFrequencyNearlyMeetsTheSloAtMuchLessEnergy() {
        SimMachine shape = new SimMachine(Scenarios.builtIn("steady"), 17);
        long slo = shape.topology().cgroups().getFirst().sloUsec();
        SimTests.TickStats max = run("steady", List.of());
        SimTests.TickStats min = run("steady", SimTests.allFreqMax(shape, 1_000_000));
        assertTrue(max.overSloShare() == 0, "top frequency meets the SLO every tick");
        assertTrue(min.meanTickP99Usec() <= 1.05 * slo, "lowest frequency: mean tick p99 " + min.meanTickP99Usec() + " us");
        assertTrue(min.overSloShare() <= 0.25, "lowest frequency: over the SLO in " + min.overSloShare() + " of ticks");
        assertTrue(min.packageJoules() < 0.8 * max.packageJoules(),
                "energy " + min.packageJoules() + " J at 1 GHz vs " + max.packageJoules() + " J at 3 GHz");
    }
}
