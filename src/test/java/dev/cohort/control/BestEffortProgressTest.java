package dev.cohort.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.CpuSet;
import dev.cohort.platform.Signal;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.TelemetryInterval;
import dev.cohort.platform.Topology;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Best-effort progress: work over the reference rate, weighted by the job's share of the host's CPUs. */
class BestEffortProgressTest {
    private static final long TICK = 100_000_000L;

    /** 8 CPUs; a service on 0-3, a batch job on 4-7 whose reference is {@code refIps} (NaN: none configured). */
    private static Topology topology(double refIps) {
        List<Topology.Cpu> cpus = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            cpus.add(new Topology.Cpu(c, c, 0, 0));
        }
        return new Topology(cpus, 1, List.of(), List.of(), List.of(
                new Topology.CgroupInfo("web", "web", CgroupRole.LATENCY_CRITICAL, CpuSet.range(0, 4), 5000, 0.99),
                new Topology.CgroupInfo("batch", "batch", CgroupRole.BEST_EFFORT, CpuSet.range(4, 4), 0, 0, refIps)),
                CpuSet.empty());
    }

    /** Feeds ticks in which the job retires {@code ips[i]} instructions/s (or, without instructions, uses CPUs). */
    private static final class Feed {
        private long t;
        private long instr;
        private long usageUsec;
        private Telemetry prev = sample(false);
        private final boolean withInstructions;

        Feed(boolean withInstructions) {
            this.withInstructions = withInstructions;
            prev = sample(withInstructions);
        }

        TelemetryInterval tick(double ips, double cpusUsed) {
            t += TICK;
            instr += (long) (ips * TICK / 1e9);
            usageUsec += (long) (cpusUsed * TICK / 1e3);
            Telemetry cur = sample(withInstructions);
            TelemetryInterval iv = TelemetryInterval.between(prev, cur);
            prev = cur;
            return iv;
        }

        private Telemetry sample(boolean instructions) {
            var b = Telemetry.builder(t)
                    .counter(Signal.CGROUP_USAGE_USEC, new long[]{0, usageUsec})
                    .gauge(Signal.CPU_FREQ_KHZ, new double[]{3e6, 3e6, 3e6, 3e6, 2e6, 2e6, 2e6, 2e6});
            if (instructions) {
                b.counter(Signal.CGROUP_INSTRUCTIONS, new long[]{0, instr});
            }
            return b.build();
        }
    }

    @Test
    void aThrottledJobScoresTheShareOfItsReferenceItDid() {
        var p = new BestEffortProgress(topology(8e9), 100);
        var feed = new Feed(true);
        p.update(feed.tick(8e9, 4));
        assertEquals(1.0, p.progress(1), 1e-6);
        assertEquals(0.5, p.hostProgress(), 1e-6, "half the host's CPUs are the job's");
        p.update(feed.tick(0.8e9, 0.4));
        assertEquals(0.1, p.progress(1), 1e-6, "0.4 CPU of 4 doing its work at the full rate is a tenth, not all");
        assertEquals(0.05, p.hostProgress(), 1e-6);
        assertEquals(BestEffortProgress.Reference.CONFIGURED, p.reference(1));
    }

    @Test
    void withoutAConfiguredRateTheWindowMaximumIsTheReferenceUntilItAgesOut() {
        var p = new BestEffortProgress(topology(Double.NaN), 3);
        var feed = new Feed(true);
        p.update(feed.tick(4e9, 2));
        assertEquals(1.0, p.progress(1), 1e-6);
        p.update(feed.tick(1e9, 0.5));
        assertEquals(0.25, p.progress(1), 1e-6);
        p.update(feed.tick(1e9, 0.5));
        assertEquals(0.25, p.progress(1), 1e-6);
        p.update(feed.tick(1e9, 0.5));
        assertEquals(1.0, p.progress(1), 1e-6, "after the window a job held down looks fully productive: why a configured rate is preferred");
        assertEquals(BestEffortProgress.Reference.WINDOW_INSTRUCTIONS, p.reference(1));
    }

    @Test
    void withoutInstructionCountersBusyCyclesStandIn() {
        var p = new BestEffortProgress(topology(8e9), 100);
        var feed = new Feed(false);
        p.update(feed.tick(0, 4));
        p.update(feed.tick(0, 1));
        assertEquals(0.25, p.progress(1), 1e-6, "1 CPU × 2 GHz against 4 CPUs × 2 GHz seen before");
        assertEquals(BestEffortProgress.Reference.WINDOW_BUSY_CYCLES, p.reference(1),
                "a configured instruction rate cannot judge a busy-cycle rate");
        assertTrue(Double.isNaN(p.progress(0)), "a service has no progress");
    }

    @Test
    void aCopyKeepsItsOwnWindow() {
        var p = new BestEffortProgress(topology(Double.NaN), 10);
        var feed = new Feed(true);
        p.update(feed.tick(4e9, 2));
        BestEffortProgress copy = p.copy();
        var feed2 = new Feed(true);
        copy.update(feed2.tick(8e9, 4));
        p.update(feed.tick(2e9, 1));
        assertEquals(0.5, p.progress(1), 1e-6, "the copy's higher rate did not reach the original");
        assertEquals(1.0, copy.progress(1), 1e-6);
    }
}
