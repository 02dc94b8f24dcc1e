package dev.cohort.platform.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.ControlPlan;
import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.TelemetryInterval;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Helpers shared by the simulator tests: scenarios from YAML text, plans, and per-tick latency statistics. */
final class SimTests {
    private SimTests() {
    }

    /** Writes {@code yaml} to {@code dir/<name>.yaml} and loads it. */
    static Scenario scenario(Path dir, String name, String yaml) {
        try {
            Path p = dir.resolve(name + ".yaml");
            Files.writeString(p, yaml);
            return Scenarios.load(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Applies the settings and checks each one was applied as asked. */
    static void applyExactly(SimMachine m, List<Setting> settings) {
        for (SettingResult r : m.apply(new ControlPlan(0, settings))) {
            assertTrue(r.outcome() == SettingResult.Outcome.APPLIED, () -> "not applied: " + r);
        }
    }

    /** Every frequency domain capped at {@code khz}. */
    static List<Setting> allFreqMax(SimMachine m, long khz) {
        List<Setting> out = new ArrayList<>();
        for (int d = 0; d < m.topology().frequencyDomains().size(); d++) {
            out.add(new Setting.FreqMaxKhz(d, khz));
        }
        return out;
    }

    /** Every memory domain's best-effort MBA limit at {@code percent}. */
    static List<Setting> allMba(SimMachine m, int percent) {
        List<Setting> out = new ArrayList<>();
        for (int d = 0; d < m.topology().memoryDomains().size(); d++) {
            out.add(new Setting.MbaPercent(d, percent));
        }
        return out;
    }

    /**
     * What a controller would see of service {@code g} over {@code ticks} control ticks.
     *
     * @param meanTickP99Usec    mean over ticks of the tick's p99 latency, µs
     * @param overSloShare       share of ticks whose p99 exceeded the SLO
     * @param packageJoules      package energy over the run (from the RAPL counters), J
     * @param batchInstructions  instructions the batch cgroup {@code batch} retired (0 when batch < 0)
     */
    record TickStats(double meanTickP99Usec, double overSloShare, double packageJoules, double batchInstructions) {
    }

    static TickStats runTicks(SimMachine m, int g, int batch, int ticks) {
        long slo = m.topology().cgroups().get(g).sloUsec();
        Telemetry first = m.sample();
        Telemetry prev = first;
        double sum = 0;
        int over = 0;
        int counted = 0;
        for (int t = 0; t < ticks; t++) {
            m.advance(m.scenario().tickNanos());
            Telemetry cur = m.sample();
            double p99 = TelemetryInterval.between(prev, cur).latencyQuantileUsec(g, 0.99);
            if (!Double.isNaN(p99)) {
                counted++;
                sum += p99;
                if (p99 > slo) {
                    over++;
                }
            }
            prev = cur;
        }
        TelemetryInterval all = TelemetryInterval.between(first, prev);
        return new TickStats(sum / counted, (double) over / counted, all.totalPackageJoules(),
                batch < 0 ? 0 : all.delta(dev.cohort.platform.Signal.CGROUP_INSTRUCTIONS, batch));
    }
}
