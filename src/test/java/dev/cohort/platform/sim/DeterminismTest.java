package dev.cohort.platform.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.cohort.platform.LatencyHistogram;
import dev.cohort.platform.Setting;
import dev.cohort.platform.Signal;
import dev.cohort.platform.Telemetry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Same scenario and seed, same run; another seed, another run. */
class DeterminismTest {

    @Test
    void sameSeedGivesIdenticalTelemetryAndAnotherSeedDoesNot() {
        List<String> a = fingerprints("colocation", 21);
        List<String> b = fingerprints("colocation", 21);
        List<String> c = fingerprints("colocation", 22);
        assertEquals(a, b, "two runs with seed 21");
        assertNotEquals(a, c, "seed 21 against seed 22");
    }

    @Test
    void largeScenarioIsDeterministicToo() {
        assertEquals(fingerprints("large", 5), fingerprints("large", 5));
    }

    /** Every counter, gauge and histogram quantile of every sample of a 3 s run with a control change. */
    private static List<String> fingerprints(String scenario, long seed) {
        SimMachine m = new SimMachine(Scenarios.builtIn(scenario), seed);
        List<String> out = new ArrayList<>();
        for (int tick = 0; tick < 30; tick++) {
            if (tick == 10) {
                m.apply(new dev.cohort.platform.ControlPlan(tick, List.of(new Setting.FreqMaxKhz(0, 1_500_000),
                        new Setting.CpuMaxUsec(m.topology().cgroups().size() - 1, 100_000, 100_000))));
            }
            m.advance(100_000_000);
            Telemetry t = m.sample();
            StringBuilder sb = new StringBuilder().append(t.timestampNanos());
            for (Signal s : Signal.values()) {
                if (!t.has(s)) {
                    continue;
                }
                for (int i = 0; i < t.width(s); i++) {
                    switch (s.kind()) {
                        case COUNTER -> sb.append(',').append(t.counter(s, i));
                        case GAUGE -> sb.append(',').append(t.gauge(s, i));
                        case HISTOGRAM -> {
                            LatencyHistogram h = t.latency(i);
                            sb.append(',').append(h == null ? "-" : h.count() + "/" + h.quantileNanos(0.5) + "/" + h.quantileNanos(0.99));
                        }
                    }
                }
            }
            out.add(sb.toString());
        }
        assertEquals(3_000_000_000L, m.nowNanos());
        return out;
    }
}
