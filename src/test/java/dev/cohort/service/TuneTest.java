package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.CpuSet;
import dev.cohort.platform.Setting;
import dev.cohort.platform.Topology;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code cohort tune}'s units and validation against a host's topology. */
class TuneTest {
    static final Topology T = new Topology(
            List.of(new Topology.Cpu(0, 0, 0, 0), new Topology.Cpu(1, 1, 0, 0), new Topology.Cpu(2, 2, 0, 0), new Topology.Cpu(3, 3, 0, 0)),
            1, List.of(new Topology.FrequencyDomain("policy0", CpuSet.of(0, 1), 800_000, 3_900_000, List.of()),
                    new Topology.FrequencyDomain("policy2", CpuSet.of(2, 3), 800_000, 3_900_000, List.of())),
            List.of(new Topology.MemoryDomain(0, 0, CpuSet.range(0, 4), Optional.of(new Topology.MbaScale(10, 10, 100, true)))),
            List.of(new Topology.CgroupInfo("web", "web.slice", CgroupRole.LATENCY_CRITICAL, CpuSet.range(0, 4), 5000, 0.99),
                    new Topology.CgroupInfo("batch", "batch.slice", CgroupRole.BEST_EFFORT, CpuSet.of(2, 3), 0, 0)),
            CpuSet.of(0));

    static List<Setting> tune(String kind, String target, String value) {
        return Tune.resolve(new Tune.Request(kind, target, value), T, 100_000);
    }

    static String error(String kind, String target, String value) {
        return assertThrows(CohortException.class, () -> tune(kind, target, value)).getMessage();
    }

    @Test
    void unitsPeopleUseBecomeSettings() {
        assertEquals(List.of(new Setting.FreqMaxKhz(1, 2_400_000)), tune("freq", "policy2", "2.4GHz"));
        assertEquals(List.of(new Setting.FreqMinKhz(1, 1_200_000)), tune("freq-min", "1", "1200MHz"));
        assertEquals(List.of(new Setting.FreqMaxKhz(1, 2_000_000)), tune("freq", "all", "2GHz"), "all = every domain cohort may write");
        assertEquals(List.of(new Setting.CpuMaxUsec(1, 150_000, 100_000)), tune("quota", "batch", "150%"));
        assertEquals(List.of(new Setting.CpuMaxUsec(1, -1, 100_000)), tune("quota", "batch", "max"));
        assertEquals(List.of(new Setting.CpuWeight(0, 200)), tune("weight", "web", "200"));
        assertEquals(List.of(new Setting.MbaPercent(0, 50)), tune("mba", "0", "50%"));
        assertEquals(List.of(new Setting.Epp(1, "balance_power")), tune("epp", "1", "balance_power"));
    }

    @Test
    void errorsNameTheValueAndTheAllowedRange() {
        assertEquals("5GHz is outside freq-domain 1 (policy2) range 800 MHz..3.9 GHz", error("freq", "1", "5GHz"));
        assertEquals("freq-domain 0 (policy0, CPUs 0-1) holds reserved CPUs 0; cohort never writes it", error("freq", "0", "2GHz"));
        assertEquals("no frequency domain 'policy9' (use 0..1, a policy name such as policy0, or all)", error("freq", "policy9", "2GHz"));
        assertEquals("freq: '2.4' is not a frequency (use GHz, MHz, kHz or Hz, e.g. 2.4GHz)", error("freq", "1", "2.4"));
        assertEquals("quota 250% for cgroup batch is outside 1%..200% (1 ms per 100 ms period up to its 2 CPUs); or max for no limit",
                error("quota", "batch", "250%"));
        assertEquals("no managed cgroup 'db' (configured: web, batch)", error("quota", "db", "50%"));
        assertEquals("weight '20000' is not a whole number in 1..10000 (cgroup v2 cpu.weight; 100 is the default)", error("weight", "web", "20000"));
        assertEquals("MBA 5% is outside mem-domain 0 range 10%..100% (in steps of 10%, rounded up)", error("mba", "0", "5%"));
        assertEquals("EPP 'turbo' is not one of default, performance, balance_performance, balance_power, power or 0..255",
                error("epp", "1", "turbo"));
        assertEquals("cannot tune 'volts' (one of freq, freq-min, quota, weight, mba, epp)", error("volts", "0", "1"));
    }
}
