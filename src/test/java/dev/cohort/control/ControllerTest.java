package dev.cohort.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.platform.CpuSet;
import dev.cohort.platform.Setting;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import dev.cohort.policy.baseline.Baselines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControllerTest {
    static final ControllerConfig CFG = ControllerConfig.DEFAULT;

    /** A policy that asks for fixed levels, or throws, or asks for nonsense. */
    static Policy fixed(int core, int memory, int quota) {
        return new Policy() {
            public String name() {
                return "fixed";
            }

            public Decision decide(Observations obs) {
                Decision d = Decision.noChange(obs);
                Arrays.fill(d.levels(Role.CORE), core);
                Arrays.fill(d.levels(Role.MEMORY), memory);
                Arrays.fill(d.levels(Role.QUOTA), quota);
                return d;
            }
        };
    }

    @Test
    void schedutilSetsFrequencyFromUtilisation() {
        var host = new FakePlatform();
        host.util[2] = 0.4; // 1.25 * 3 GHz * 0.4 = 1.5 GHz: level 3 of 11 is 1.6 GHz (the lowest at or above)
        var c = new Controller(host, CFG.withGovernor(CFG.governor().withSloOverride(false)), Baselines.create("schedutil"),
                Baselines.create("performance"), Journal.NONE, false);
        for (int i = 0; i < 5; i++) {
            c.tick();
        }
        assertEquals("1600000", host.knobs.get("freq2"));
    }

    @Test
    void theCoreAgentsSeeHowMuchTheirLoadSwings() {
        var host = new FakePlatform();
        var c = new Controller(host, CFG, Baselines.create("performance"), Baselines.create("performance"), Journal.NONE,
                false);
        int spread = dev.cohort.policy.ObservationSpec.CORE.index("util_spread");
        for (int t = 0; t < 100; t++) {
            host.util[1] = t % 10 < 3 ? 0.9 : 0.1; // CPU 1's load comes in bursts; the others' is steady
            c.tick();
        }
        var core = c.observations().role(Role.CORE);
        assertEquals(0, core.get(0, spread), 1e-6, "steady load: no spread");
        assertTrue(core.get(1, spread) > 0.6, "bursts of 0.8: spread " + core.get(1, spread) + " of 1 (sd 0.37 / 0.5)");
    }

    @Test
    void theCoreAgentsRememberTheirLoadsPeakAtTheTopFrequency() {
        var host = new FakePlatform();
        var c = new Controller(host, CFG, Baselines.create("static:core=0"), Baselines.create("performance"), Journal.NONE,
                false);
        int peak = dev.cohort.policy.ObservationSpec.CORE.index("load_peak");
        for (int t = 0; t < 22; t++) { // the batch CPUs 2 and 3 at 1.0 of 3.0 GHz from the second tick on
            host.util[2] = t < 2 ? 0 : t < 12 ? 0.9 : 0.1; // busy for a second, then quiet for one
            host.util[3] = t < 2 ? 0 : 0.5; // steady
            c.tick();
        }
        var core = c.observations().role(Role.CORE);
        assertEquals(0.5 / 3, core.get(3, peak), 1e-6, "steady: its own load, as work at the top frequency");
        double fromBurst = 0.1 / 3 + (0.9 / 3 - 0.1 / 3) * Math.exp(-1.0 / 30);
        assertEquals(fromBurst, core.get(2, peak), 1e-6, "a second after the burst it is still remembered");
    }

    @Test
    void theQuotaAgentsRememberTheirServicesPeak() {
        var host = new FakePlatform();
        var c = new Controller(host, CFG, Baselines.create("static:core=1"), Baselines.create("performance"), Journal.NONE,
                false);
        int lcUtil = dev.cohort.policy.ObservationSpec.QUOTA.index("lc_util");
        int lcPeak = dev.cohort.policy.ObservationSpec.QUOTA.index("lc_peak");
        for (int t = 0; t < 22; t++) { // the service's CPUs 0 and 1 busy for a second, then quiet for one
            host.util[0] = t < 2 ? 0 : t < 12 ? 0.9 : 0.1;
            host.util[1] = host.util[0];
            c.tick();
        }
        var quota = c.observations().role(Role.QUOTA);
        assertEquals(0.1, quota.get(0, lcUtil), 1e-6, "the service is quiet now");
        assertEquals(0.1 + 0.8 * Math.exp(-1.0 / 30), quota.get(0, lcPeak), 1e-6, "a second after its burst the job still sees it");
    }

    @Test
    void aServiceDomainSlowsDownAtMostTwoLevelsPerTick() {
        var host = new FakePlatform();
        var c = new Controller(host, CFG, Baselines.create("powersave"), Baselines.create("performance"), Journal.NONE, false);
        c.tick();
        assertEquals("2600000", host.knobs.get("freq0"), "service CPU: 3.0 GHz down two levels of 0.2 GHz");
        assertEquals("1000000", host.knobs.get("freq2"), "batch CPU: straight to the minimum");
        c.tick();
        assertEquals("2200000", host.knobs.get("freq0"));
    }

    @Test
    void aServiceInTroubleGetsFullSpeedAndBatchIsCut() {
        var host = new FakePlatform();
        var c = new Controller(host, CFG, Baselines.create("powersave"), Baselines.create("performance"), Journal.NONE, false);
        c.tick();
        c.tick();
        host.serviceLatencyUsec = 9000; // p99 9 ms > SLO 5 ms
        TickRecord r = c.tick();
        assertTrue(r.sloViolated());
        assertEquals("3000000", host.knobs.get("freq0"));
        assertEquals("10", host.knobs.get("mba0"), "batch bandwidth to the floor");
        assertEquals("20000 100000", host.knobs.get("quota1"), "batch quota to the 10% floor of its 2 CPUs");
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("override")), r.notes().toString());
    }

    @Test
    void aRefusedKnobIsNotedOnceAndLeftAloneUntilItsRetryOrARelease() {
        var host = new FakePlatform();
        host.refusedDomains.add(2); // the batch CPU's domain, which powersave wants at the minimum
        var c = new Controller(host, CFG, Baselines.create("powersave"), Baselines.create("performance"), Journal.NONE, false);
        int noted = 0;
        for (int i = 0; i < Controller.RETRY_TICKS; i++) {
            TickRecord r = c.tick();
            noted += (int) r.notes().stream().filter(n -> n.contains("freq-domain 2") || n.contains("FREQ_MAX_KHZ 2")).count();
        }
        assertEquals(1, host.refusedAsks, "asked once in " + Controller.RETRY_TICKS + " ticks");
        assertEquals(1, noted, "noted once");
        assertEquals("1000000", host.knobs.get("freq3"), "the other batch domain is still driven");
        c.tick();
        assertEquals(2, host.refusedAsks, "asked again once the wait is over");
        host.refusedDomains.clear();
        c.retryNow(); // the override was released
        c.tick();
        assertEquals("1000000", host.knobs.get("freq2"), "the agents take the released knob back on the next tick");
    }

    @Test
    void outOfRangeLevelsChangeNothing() {
        var host = new FakePlatform();
        var c = new Controller(host, CFG, fixed(99, -7, 1000), Baselines.create("performance"), Journal.NONE, false);
        TickRecord r = c.tick();
        assertTrue(r.plan().isEmpty(), "nothing written: " + r.plan());
        assertTrue(host.writes.isEmpty());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("outside")), r.notes().toString());
    }

    @Test
    void aFailingPolicyIsReplacedByTheFallbackForThatTick() {
        var host = new FakePlatform();
        Policy broken = new Policy() {
            public String name() {
                return "broken";
            }

            public Decision decide(Observations obs) {
                throw new IllegalStateException("model output has NaN");
            }
        };
        var c = new Controller(host, CFG, broken, Baselines.create("powersave"), Journal.NONE, false);
        TickRecord r = c.tick();
        assertTrue(r.fallback());
        assertEquals("powersave", r.policy());
        assertEquals(1, c.fallbacks());
        assertTrue(r.notes().getFirst().contains("model output has NaN"), r.notes().toString());
    }

    @Test
    void dryRunDecidesButWritesNothing(@TempDir Path dir) throws Exception {
        var host = new FakePlatform();
        var before = new java.util.HashMap<>(host.knobs);
        Path j = dir.resolve("journal.jsonl");
        try (var journal = new JsonLinesJournal(j, 1 << 20, 2, host.topology())) {
            var c = new Controller(host, CFG, Baselines.create("powersave"), Baselines.create("performance"), journal, true);
            for (int i = 0; i < 3; i++) {
                TickRecord r = c.tick();
                assertFalse(r.plan().isEmpty(), "a dry run still decides");
            }
        }
        assertEquals(before, host.knobs);
        assertTrue(host.writes.isEmpty());
        List<String> lines = Files.readAllLines(j);
        assertEquals(3, lines.size());
        JsonNode first = new ObjectMapper().readTree(lines.getFirst());
        assertEquals("DRY_RUN", first.get("settings").get(0).get("outcome").asText());
        assertEquals("web", first.get("services").get(0).get("cgroup").asText());
    }

    @Test
    void aDryRunStepsFromWhatTheHostHoldsWhenAnotherWriterChangesIt() {
        var host = new FakePlatform();
        var c = new Controller(host, CFG, Baselines.create("powersave"), Baselines.create("performance"), Journal.NONE, true);
        assertEquals(new Setting.FreqMaxKhz(0, 2_600_000), freq0(c.tick()), "3.0 GHz down two levels");
        host.knobs.put("freq0", "2000000"); // the node's writer (a shadow's neighbour) moved it
        assertEquals(new Setting.FreqMaxKhz(0, 1_600_000), freq0(c.tick()), "two levels down from the 2.0 GHz the host holds");
        assertTrue(host.writes.isEmpty(), "and still writes nothing");
    }

    private static Setting freq0(TickRecord r) {
        return r.plan().stream().filter(s -> s instanceof Setting.FreqMaxKhz f && f.domain() == 0).findFirst().orElseThrow();
    }

    @Test
    void reservedCpusAreNeverTouched() {
        var host = new FakePlatform(CpuSet.of(3));
        var c = new Controller(host, CFG, Baselines.create("powersave"), Baselines.create("performance"), Journal.NONE, false);
        for (int i = 0; i < 5; i++) {
            c.tick();
        }
        assertEquals(3, c.layout().agents(Role.CORE));
        assertTrue(host.writes.stream().noneMatch(w -> w.startsWith("freq3")), host.writes.toString());
        assertEquals("1000000", host.knobs.get("freq2"));
    }

    @Test
    void aPowerBudgetStepsDownDomainsWithoutServices() {
        var host = new FakePlatform();
        host.watts = 120;
        var cfg = CFG.withGovernor(CFG.governor().withPowerBudget(100));
        var c = new Controller(host, cfg, Baselines.create("performance"), Baselines.create("performance"), Journal.NONE, false);
        TickRecord r = c.tick();
        assertEquals("2800000", host.knobs.get("freq2"), "one level down per tick while over budget");
        assertEquals("3000000", host.knobs.get("freq0"), "the service's domain is not sacrificed");
        assertTrue(r.plan().stream().anyMatch(s -> s instanceof Setting.FreqMaxKhz f && f.domain() == 3));
    }

    @Test
    void journalRotatesWhenFull(@TempDir Path dir) throws Exception {
        var host = new FakePlatform();
        Path j = dir.resolve("j.jsonl");
        try (var journal = new JsonLinesJournal(j, 2_000, 2, host.topology())) {
            var c = new Controller(host, CFG, Baselines.create("schedutil"), Baselines.create("performance"), journal, false);
            for (int i = 0; i < 40; i++) {
                c.tick();
            }
        }
        assertTrue(Files.exists(dir.resolve("j.jsonl.1.gz")), "rotated files are compressed");
        assertTrue(Files.exists(dir.resolve("j.jsonl.2.gz")));
        assertFalse(Files.exists(dir.resolve("j.jsonl.3.gz")) || Files.exists(dir.resolve("j.jsonl.3")), "only two rotated files kept");
        assertTrue(Files.size(j) <= 2_000 + 1_000);
    }

    @Test
    void aLearnedPolicysFallbackToItsBaselineIsJournalled(@TempDir Path models) {
        // a core model with 5 levels on a host with 11: loaded without the host's action spaces, refused at its first tick
        dev.cohort.policy.TestModels.export(models, Role.CORE, 5, false, 1);
        var host = new FakePlatform();
        try (var p = dev.cohort.policy.OnnxPolicy.load("learned", models, Baselines.create("schedutil"), java.util.Map.of())) {
            var c = new Controller(host, CFG, p, Baselines.create("performance"), Journal.NONE, false);
            TickRecord r = c.tick();
            assertFalse(r.fallback(), "the policy itself did not fail");
            assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("core model fell back to schedutil: core.onnx refused: the model has 5")),
                    r.notes().toString());
        }
    }
}
