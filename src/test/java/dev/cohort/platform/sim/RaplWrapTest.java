package dev.cohort.platform.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.Signal;
import dev.cohort.platform.Telemetry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw energy counters wrap at the configured range like RAPL's; {@code sample()} undoes the wraps with
 * {@link dev.cohort.platform.EnergyCounter}, exactly, as long as it samples at least once per wrap.
 */
class RaplWrapTest {
    @TempDir
    Path dir;

    @Test
    void wrapsAreUndoneExactlyOverManyWraps() {
        // Two packages at 20-60 W with a 3 J range: a wrap every 50-150 ms.
        Scenario s = SimTests.scenario(dir, "wrap", """
                machine:
                  sockets: 2
                  coresPerSocket: 8
                  rapl: {rangeUj: 3000000}
                services:
                  - name: web
                    cpus: 0-7
                    sloMicros: 5000
                    request: {cycles: 750000, llcMisses: 2941}
                    arrivals: {profile: constant, load: 0.5}
                batch:
                  - {name: stream, cpus: 8-15, kind: stream}
                """);
        SimMachine m = new SimMachine(s, 4);
        Telemetry first = m.sample();
        Telemetry last = first;
        for (int i = 0; i < 200; i++) {
            m.advance(10_000_000);
            last = m.sample();
            for (int p = 0; p < 2; p++) {
                // The unwrapped counter is the model's energy, floored to a µJ, at every sample.
                long expectedPkg = (long) Math.floor(m.engine().power.packageJoules[p] * 1e6);
                long expectedDram = (long) Math.floor(m.engine().power.dramJoules[p] * 1e6);
                assertEquals(expectedPkg, last.counter(Signal.PKG_ENERGY_UJ, p) - first.counter(Signal.PKG_ENERGY_UJ, p));
                assertEquals(expectedDram, last.counter(Signal.DRAM_ENERGY_UJ, p) - first.counter(Signal.DRAM_ENERGY_UJ, p));
            }
        }
        for (int p = 0; p < 2; p++) {
            double wraps = m.engine().power.packageJoules[p] * 1e6 / s.machine().raplRangeUj();
            assertTrue(wraps >= 10, "package " + p + " wrapped about " + wraps + " times");
            assertTrue(m.engine().power.dramJoules[p] * 1e6 / s.machine().raplRangeUj() >= 2, "DRAM wrapped too");
        }
    }
}
