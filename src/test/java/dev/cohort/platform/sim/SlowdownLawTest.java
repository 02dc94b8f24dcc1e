package dev.cohort.platform.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cohort.platform.Signal;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.TelemetryInterval;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Memory-boundedness (§4.2): only the compute part of the work scales with frequency, so a workload that
 * spends a share β of its time on memory at f0 slows by {@code (1−β)·f0/f + β} at f. Checked for a batch
 * thread's instruction rate and for a service's CPU time per request. The memory latency curve is flattened
 * (slope 0) so the latency stays at L0 whatever the traffic: the law is about frequency alone.
 */
class SlowdownLawTest {
    private static final long F0_KHZ = 3_000_000;
    private static final double L0_NS = 85;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "beta={0}")
    @ValueSource(doubles = {0.0, 0.2, 0.5, 0.8})
    void batchThreadSlowsByTheMemoryBoundLaw(double beta) {
        // A thread with ipc 1 and mlp 1 spends (1/f0)/cycle computing and m·L0 per cycle stalled:
        // beta = m·L0 / (1/f0 + m·L0)  =>  m = beta / ((1 − beta)·f0·L0), f0 in GHz.
        double missesPerCycle = beta / ((1 - beta) * (F0_KHZ / 1e6) * L0_NS);
        Scenario s = SimTests.scenario(dir, "slow", """
                machine:
                  sockets: 1
                  coresPerSocket: 1
                  memory: {idleLatencyNs: 85, latencySlope: 0, coreMaxGBps: 10000, peakGBps: 100000}
                batch:
                  - {name: job, cpus: "0", ipc: 1, mpki: %s, mlp: 1}
                """.formatted(missesPerCycle * 1000));
        double rate0 = instructionsPerSec(s, F0_KHZ);
        for (long khz : s.machine().dvfs().levelsKhz()) {
            double slowdown = rate0 / instructionsPerSec(s, khz);
            double law = (1 - beta) * F0_KHZ / khz + beta;
            assertEquals(law, slowdown, 1e-6 * law, "slowdown at " + khz + " kHz");
        }
    }

    @ParameterizedTest(name = "beta={0}")
    @ValueSource(doubles = {0.3, 0.6})
    void requestsSlowByTheMemoryBoundLaw(double beta) {
        double cycles = 3_000_000 * (1 - beta);   // (1 − beta) ms of compute at 3 GHz
        double misses = 1e6 * beta / L0_NS;        // beta ms of stalls at 85 ns
        Scenario s = SimTests.scenario(dir, "req", """
                machine:
                  sockets: 1
                  coresPerSocket: 2
                  memory: {idleLatencyNs: 85, latencySlope: 0}
                services:
                  - name: q
                    cpus: 0-1
                    sloMicros: 100000
                    request: {cycles: %s, llcMisses: %s, distribution: constant}
                    arrivals:
                      profile: step
                      steps: [{atSeconds: 0, load: 0.15}, {atSeconds: 4, load: 0}]
                """.formatted(cycles, misses));
        double t0 = cpuNanosPerRequest(s, F0_KHZ);
        assertEquals(1e6, t0, 1e6 * 1e-3, "a request takes 1 ms at the top frequency");
        for (long khz : new long[]{2_500_000, 2_000_000, 1_500_000, 1_000_000}) {
            double law = (1 - beta) * F0_KHZ / khz + beta;
            assertEquals(law, cpuNanosPerRequest(s, khz) / t0, 1e-3 * law, "slowdown at " + khz + " kHz");
        }
    }

    private static double instructionsPerSec(Scenario s, long khz) {
        SimMachine m = new SimMachine(s, 1);
        SimTests.applyExactly(m, SimTests.allFreqMax(m, khz));
        Telemetry a = m.sample();
        m.advance(100_000_000);
        return TelemetryInterval.between(a, m.sample()).rate(Signal.CGROUP_INSTRUCTIONS, 0);
    }

    /** CPU time per request: arrivals stop at 4 s, so by 5 s every request has finished and been counted. */
    private static double cpuNanosPerRequest(Scenario s, long khz) {
        SimMachine m = new SimMachine(s, 1);
        SimTests.applyExactly(m, SimTests.allFreqMax(m, khz));
        m.advance(5_000_000_000L);
        Telemetry t = m.sample();
        return t.counter(Signal.CGROUP_USAGE_USEC, 0) * 1000.0 / t.counter(Signal.CGROUP_REQUESTS, 0);
    }
}
