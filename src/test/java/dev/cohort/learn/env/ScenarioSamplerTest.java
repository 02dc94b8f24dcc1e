package dev.cohort.learn.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CpuSet;
import dev.cohort.platform.sim.ArrivalSpec;
import dev.cohort.platform.sim.BatchSpec;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.platform.sim.ServiceSpec;
import dev.cohort.platform.sim.SimMachine;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScenarioSamplerTest {
    private static final Variation V = new Variation(0.3, 0.95, 0.2, 0.3, 0.3, 0.25, 0.1, 20, 60, false);
    static final List<MachineSize> SIZES = List.of("1x4", "1x8", "1x16", "1x32", "2x8", "2x16").stream().map(MachineSize::parse).toList();
    /** The shipped configurations' distribution. */
    static final Variation WIDE = new Variation(0.2, 0.95, 0, 0.3, 0.3, 0.25, 0.1, 20, 120, true)
            .widened(SIZES, new double[]{0.5, 2}, new double[]{0.6, 1.3}, new BatchMix(2, 1, 1, 1, 1), 0.25, 0.5);

    static List<Scenario> trainingScenarios() {
        Path train = Path.of(System.getProperty("cohort.repo", "."), "configs", "scenarios", "train");
        return List.of(Scenarios.builtIn("colocation"), Scenarios.builtIn("membw"), Scenarios.builtIn("diurnal"),
                Scenarios.builtIn("steady"), Scenarios.builtIn("trace"), Scenarios.load(train.resolve("bursty-colocation.yaml")),
                Scenarios.load(train.resolve("two-socket.yaml")));
    }

    @Test
    void noVariationIsTheFileItself() {
        Scenario s = Scenarios.builtIn("membw");
        assertSame(s, ScenarioSampler.sample(s, Variation.NONE, new SplittableRandom(1)));
    }

    @Test
    void aShareOfEpisodesRunsTheFileAsWrittenAndTheRestVary() {
        Scenario base = Scenarios.builtIn("steady");
        Variation third = WIDE.withAsWritten(0.3);
        int asWritten = 0;
        for (long seed = 0; seed < 1000; seed++) {
            Scenario v = ScenarioSampler.sample(base, third, new SplittableRandom(seed));
            assertEquals(v, ScenarioSampler.sample(base, third, new SplittableRandom(seed)), "a function of the generator");
            if (v == base) {
                asWritten++;
            } else {
                assertNotEquals(base, v, "a varied episode is varied");
            }
        }
        assertTrue(asWritten >= 250 && asWritten <= 350, asWritten + " of 1000 as written, expected about 300");
        for (long seed = 0; seed < 20; seed++) {
            assertSame(base, ScenarioSampler.sample(base, WIDE.withAsWritten(1), new SplittableRandom(seed)));
            assertEquals(ScenarioSampler.sample(base, WIDE, new SplittableRandom(seed)),
                    ScenarioSampler.sample(base, WIDE.withAsWritten(0), new SplittableRandom(seed)), "no share draws as before");
        }
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
    void widenedDrawsStayInsideTheConfiguredDistributionAndAreDeterministic() {
        for (Scenario base : trainingScenarios()) {
            Set<MachineSize> seen = new HashSet<>();
            int below1 = 0;
            int slos = 0;
            for (long seed = 0; seed < 120; seed++) {
                Scenario v = ScenarioSampler.sample(base, WIDE, new SplittableRandom(seed));
                assertEquals(v, ScenarioSampler.sample(base, WIDE, new SplittableRandom(seed)), "a function of the generator");
                String at = base.name() + " seed " + seed;
                MachineSize z = new MachineSize(v.machine().sockets(), v.machine().coresPerSocket());
                assertTrue(SIZES.contains(z), at + ": " + z);
                assertTrue(z.cpus() != 24 && z.cpus() <= 32, at);
                assertEquals(0, z.sockets() % base.machine().sockets(), at + ": a two-socket file stays on two sockets");
                seen.add(z);
                assertDisjoint(v.services().stream().map(ServiceSpec::cpus).toList(), at + ": services");
                assertDisjoint(v.batchJobs().stream().map(BatchSpec::cpus).toList(), at + ": jobs");
                for (ServiceSpec sv : v.services()) {
                    assertTrue(sv.cpus().get(sv.cpus().size() - 1) < z.cpus(), at + ": inside the machine");
                    double f = (double) sv.sloUsec() / fileService(base, sv.name()).sloUsec();
                    assertTrue(f >= 0.5 - 1e-3 && f <= 2 + 1e-3, at + ": SLO factor " + f);
                    below1 += f < 1 ? 1 : 0;
                    slos++;
                }
                if (seed < 10) {
                    new SimMachine(v, 1000).advance(v.tickNanos());
                }
            }
            int expected = base.machine().sockets() == 1 ? SIZES.size() : 2;
            assertEquals(expected, seen.size(), base.name() + " draws every size it fits: " + seen);
            // log-uniform on [0.5, 2]: half the factors below 1 (a uniform draw would give a third)
            assertEquals(0.5, (double) below1 / slos, 0.12, base.name());
        }
    }

    /** The file's service a variant's service comes from ({@code web-2}, a copy on another socket, from {@code web}). */
    private static ServiceSpec fileService(Scenario base, String name) {
        for (ServiceSpec s : base.services()) {
            if (s.name().equals(name) || name.matches(java.util.regex.Pattern.quote(s.name()) + "-\\d+")) {
                return s;
            }
        }
        throw new AssertionError("no service " + name + " in " + base.name());
    }

    private static void assertDisjoint(List<CpuSet> sets, String what) {
        for (int i = 0; i < sets.size(); i++) {
            for (int j = 0; j < i; j++) {
                assertTrue(!sets.get(i).intersects(sets.get(j)), what + " " + sets);
            }
        }
    }

    @Test
    void batchMixesGiveTheIntendedKinds() {
        for (Scenario base : trainingScenarios()) {
            String at = base.name();
            assertEquals(base.batchJobs(), BatchMix.jobs(base, BatchMix.Choice.AS_WRITTEN), at);
            assertEquals(List.of(), BatchMix.jobs(base, BatchMix.Choice.NONE), at);
            for (var c : List.of(BatchMix.Choice.CPU, BatchMix.Choice.STREAM)) {
                List<BatchSpec> jobs = BatchMix.jobs(base, c);
                BatchSpec.Kind k = c == BatchMix.Choice.CPU ? BatchSpec.Kind.CPU : BatchSpec.Kind.STREAM;
                assertTrue(!jobs.isEmpty() && jobs.stream().allMatch(b -> b.kind() == k && b.mpki() == k.defaultMpki()), at + " " + jobs);
            }
            List<BatchSpec> both = BatchMix.jobs(base, BatchMix.Choice.BOTH);
            assertEquals(Set.of(BatchSpec.Kind.CPU, BatchSpec.Kind.STREAM), both.stream().map(BatchSpec::kind).collect(
                    java.util.stream.Collectors.toSet()), at + " " + both);
            assertDisjoint(both.stream().map(BatchSpec::cpus).toList(), at + ": jobs");
            // drawn through the sampler, the mix shows in the variant
            Variation only = new Variation(0, 0.95, 0, 0, 0, 0, 0, 0, 0, false)
                    .widened(List.of(), new double[]{0, 0}, new double[]{0, 0}, new BatchMix(0, 0, 0, 1, 0), 0, 0);
            assertTrue(ScenarioSampler.sample(base, only, new SplittableRandom(1)).batchJobs().stream()
                    .allMatch(b -> b.kind() == BatchSpec.Kind.STREAM), at);
        }
        // colocation's one job, split: the lower half CPU-bound (keeping its name), the upper streaming, both sharing web's cores
        List<BatchSpec> split = BatchMix.jobs(Scenarios.builtIn("colocation"), BatchMix.Choice.BOTH);
        assertEquals(List.of("build", "build-stream"), split.stream().map(BatchSpec::name).toList());
        assertEquals(List.of(CpuSet.range(0, 4), CpuSet.range(4, 4)), split.stream().map(BatchSpec::cpus).toList());
        // a scenario without jobs gets one on the services' cores (steady has no free core), or on free cores
        assertEquals(CpuSet.range(0, 8), BatchMix.jobs(Scenarios.builtIn("steady"), BatchMix.Choice.CPU).getFirst().cpus());
    }

    @Test
    void burstySwapsReplaceRateProfilesButNotTraces() {
        Variation heavy = new Variation(0, 0.95, 0, 0, 0, 0, 0, 0, 0, false)
                .widened(List.of(), new double[]{0, 0}, new double[]{0, 0}, BatchMix.AS_WRITTEN, 1, 1);
        Scenario diurnal = Scenarios.builtIn("diurnal");
        Scenario trace = Scenarios.builtIn("trace");
        for (long seed = 0; seed < 20; seed++) {
            var a = ScenarioSampler.sample(diurnal, heavy, new SplittableRandom(seed)).services().getFirst().arrivals();
            var b = assertInstanceOf(ArrivalSpec.Bursty.class, a);
            assertEquals(ArrivalSpec.Bursty.OnOffTail.PARETO, b.tail());
            assertTrue(b.shape() >= 1.2 && b.shape() <= 2.5 && b.meanOnNanos() >= 2e8 && b.meanOnNanos() <= 1e9, b.toString());
            assertTrue(b.baseRatePerSec() < b.burstRatePerSec(), b.toString());
            assertInstanceOf(ArrivalSpec.Trace.class, ScenarioSampler.sample(trace, heavy,
                    new SplittableRandom(seed)).services().getFirst().arrivals(), "a trace stays a replay");
        }
        Variation mmpp = heavy.widened(List.of(), new double[]{0, 0}, new double[]{0, 0}, BatchMix.AS_WRITTEN, 1, 0);
        var a = ScenarioSampler.sample(Scenarios.builtIn("steady"), mmpp, new SplittableRandom(3)).services().getFirst().arrivals();
        assertEquals(ArrivalSpec.Bursty.OnOffTail.EXPONENTIAL, assertInstanceOf(ArrivalSpec.Bursty.class, a).tail());
    }

    @Test
    void aLoadLevelScalesEveryRateOfAService() {
        Variation half = new Variation(0, 0.95, 0, 0, 0, 0, 0, 0, 0, false)
                .widened(List.of(), new double[]{0, 0}, new double[]{0.5, 0.5}, BatchMix.AS_WRITTEN, 0, 0);
        Scenario base = Scenarios.builtIn("diurnal");
        var d0 = (ArrivalSpec.Diurnal) base.services().getFirst().arrivals();
        var d = (ArrivalSpec.Diurnal) ScenarioSampler.sample(base, half, new SplittableRandom(1)).services().getFirst().arrivals();
        assertEquals(d0.minRatePerSec() / 2, d.minRatePerSec(), 1e-9);
        assertEquals(d0.peakRatePerSec() / 2, d.peakRatePerSec(), 1e-9);
    }

    @Test
    void variationReadsAsWordsNotARecordDump() {
        assertEquals("none", Variation.NONE.toString());
        Variation v = new Variation(0.3, 0.95, 0.2, 0, 0, 0, 0.1, 60, 600, true);
        assertEquals("load ±30% (at most 95% busy), SLO ±20%, top frequency ±10%, diurnal period 60 s–10 min, diurnal phase random",
                v.toString());
        assertEquals("load ±20% (at most 95% busy), load level ×0.6–1.3, SLO ×0.5–2 (log-uniform), memory per request ±30%, "
                + "batch IPC and misses ±30%, memory bandwidth ±25%, top frequency ±10%, diurnal period 20 s–2 min, diurnal phase random, "
                + "machines 1x4, 1x8, 1x16, 1x32, 2x8, 2x16, best-effort mix as written 2, none 1, cpu 1, stream 1, both 1, "
                + "bursty arrivals 25% (heavy-tailed 50%)", WIDE.toString());
    }
}
