package dev.cohort.platform.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cohort.platform.ControlPlan;
import dev.cohort.platform.LatencyHistogram;
import dev.cohort.platform.Setting;
import dev.cohort.platform.Signal;
import dev.cohort.platform.Telemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshot, run, restore, run again: the two runs agree bit for bit (every counter, gauge, histogram, the exact model
 * energy and power, and what the knob keeper would restore), on every built-in scenario, into the same machine or
 * one built with another seed. A restore truly isolates: other controls after it give another run, and restoring
 * again gives the first one back.
 */
class SnapshotTest {
    private static final long TICK = 100_000_000;

    @ParameterizedTest
    @ValueSource(strings = {"steady", "colocation", "membw", "diurnal", "trace", "large"})
    void restoringReplaysTheRunBitForBit(String scenario) {
        Scenario sc = Scenarios.builtIn(scenario);
        SimMachine m = new SimMachine(sc, 7);
        run(m, 25, SnapshotTest::plan);
        SimMachine.Snapshot s = m.snapshot();
        List<String> first = run(m, 20, SnapshotTest::plan);
        m.restore(s);
        assertEquals(first, run(m, 20, SnapshotTest::plan), "the same machine, restored");
        SimMachine other = new SimMachine(sc, 99);
        run(other, 3, t -> List.of(new Setting.FreqMaxKhz(0, 1_200_000)));
        other.restore(s);
        assertEquals(first, run(other, 20, SnapshotTest::plan), "another machine of the scenario, built with another seed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"colocation", "membw"})
    void aRestoreIsolatesWhatRanAfterIt(String scenario) {
        SimMachine m = new SimMachine(Scenarios.builtIn(scenario), 3);
        run(m, 10, SnapshotTest::plan);
        SimMachine.Snapshot s = m.snapshot();
        List<String> first = run(m, 10, SnapshotTest::plan);
        m.restore(s);
        List<String> slow = run(m, 10, t -> allFreq(m, 1_000_000));
        assertNotEquals(first, slow, "other controls after the restore run differently");
        m.restore(s);
        assertEquals(first, run(m, 10, SnapshotTest::plan), "restoring again gives the first run back");
    }

    @Property(tries = 12)
    void anySeedAndMomentReplays(@ForAll @LongRange(min = 1, max = 1_000_000) long seed,
                                 @ForAll @IntRange(min = 0, max = 30) int before, @ForAll @IntRange(min = 1, max = 15) int after) {
        SimMachine m = new SimMachine(Scenarios.builtIn(seed % 2 == 0 ? "colocation" : "trace"), seed);
        IntFunction<List<Setting>> plan = t -> t % 3 == (int) (seed % 3) ? allFreq(m, 1_000_000 + 200_000L * (t % 10)) : List.of();
        run(m, before, plan);
        SimMachine.Snapshot s = m.snapshot();
        List<String> first = run(m, after, plan);
        m.restore(s);
        assertEquals(first, run(m, after, plan));
    }

    /** Reseeding after a restore gives another future of the same processes, the same one for the same salt. */
    @ParameterizedTest
    @ValueSource(strings = {"colocation", "diurnal"})
    void reseededArrivalsAreAnotherFutureAndTheSameForTheSameSalt(String scenario) {
        SimMachine m = new SimMachine(Scenarios.builtIn(scenario), 5);
        run(m, 10, SnapshotTest::plan);
        SimMachine.Snapshot s = m.snapshot();
        List<String> own = run(m, 10, SnapshotTest::plan);
        m.restore(s);
        m.reseedArrivals(42);
        List<String> other = run(m, 10, SnapshotTest::plan);
        assertNotEquals(own, other, "another future of the arrivals");
        m.restore(s);
        m.reseedArrivals(42);
        assertEquals(other, run(m, 10, SnapshotTest::plan), "the same salt, the same future");
        m.restore(s);
        assertEquals(own, run(m, 10, SnapshotTest::plan), "a restore without reseeding gives the run's own future back");
    }

    @org.junit.jupiter.api.Test
    void aSnapshotOfAnotherScenarioIsRefused() {
        SimMachine.Snapshot s = new SimMachine(Scenarios.builtIn("steady"), 1).snapshot();
        SimMachine m = new SimMachine(Scenarios.builtIn("colocation"), 1);
        var e = assertThrows(IllegalArgumentException.class, () -> m.restore(s));
        assertEquals("SimMachine.restore(): a snapshot of scenario steady cannot be restored into a machine of scenario "
                + "colocation", e.getMessage());
    }

    /** Controls that change every few ticks: frequency, quota and bandwidth (first writes after the snapshot too). */
    private static List<Setting> plan(int tick) {
        List<Setting> out = new ArrayList<>();
        out.add(new Setting.FreqMaxKhz(tick % 3, 1_000_000 + 200_000L * (tick % 11)));
        if (tick % 4 == 1) {
            out.add(new Setting.CpuMaxUsec(1, 20_000 + 10_000L * (tick % 7), 100_000));
        }
        if (tick % 5 == 2) {
            out.add(new Setting.MbaPercent(0, 10 + 10 * (tick % 10)));
        }
        return out;
    }

    private static List<Setting> allFreq(SimMachine m, long khz) {
        return SimTests.allFreqMax(m, khz);
    }

    /** Runs {@code ticks} ticks, each applying {@code plan(tick)} then advancing; one fingerprint per tick, then the knobs' restore. */
    private static List<String> run(SimMachine m, int ticks, IntFunction<List<Setting>> plan) {
        List<String> out = new ArrayList<>();
        for (int t = 0; t < ticks; t++) {
            out.add(m.apply(new ControlPlan(t, plan.apply(t))).toString());
            m.advance(TICK);
            out.add(fingerprint(m, m.sample()));
        }
        out.add(m.currentSettings().toString());
        return out;
    }

    /** Every value of a sample as raw bits, with the model's exact energy and power. */
    static String fingerprint(SimMachine m, Telemetry t) {
        StringBuilder sb = new StringBuilder().append(t.timestampNanos());
        for (Signal s : Signal.values()) {
            if (!t.has(s)) {
                continue;
            }
            for (int i = 0; i < t.width(s); i++) {
                switch (s.kind()) {
                    case COUNTER -> sb.append(',').append(t.counter(s, i));
                    case GAUGE -> sb.append(',').append(Double.doubleToRawLongBits(t.gauge(s, i)));
                    case HISTOGRAM -> {
                        LatencyHistogram h = t.latency(i);
                        sb.append(',').append(h == null ? "-" : h.count() + "/" + bits(h.meanNanos()) + "/"
                                + bits(h.quantileNanos(0.5)) + "/" + bits(h.quantileNanos(0.99)));
                    }
                }
            }
        }
        sb.append(";E=").append(bits(m.trueEnergyJoules()));
        for (int p = 0; p < m.scenario().machine().sockets(); p++) {
            sb.append(";P").append(p).append('=').append(bits(m.packageWattsNow(p))).append('/').append(bits(m.dramWattsNow(p)));
        }
        return sb.toString();
    }

    private static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }
}
