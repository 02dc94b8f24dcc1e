package dev.cohort.platform.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.Setting;
import dev.cohort.platform.Signal;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.TelemetryInterval;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CFS bandwidth: a cgroup never gets more than quota per period, and throttling is counted as cgroup v2 does. */
class QuotaTest {

    @ParameterizedTest(name = "cgroup {0}: {1} us per {2} us")
    @CsvSource({
            "1, 30000, 100000",   // the batch job on colocation: wants ~5 CPUs, gets 0.3
            "1, 200000, 50000",   // 4 CPUs' worth in short periods: it would take about 4.8
            "0, 200000, 100000",  // the service itself: wants ~3.2 CPUs, gets 2
    })
    void quotaIsNeverExceededInAnyPeriod(int cgroup, long quotaUsec, long periodUsec) {
        SimMachine m = new SimMachine(Scenarios.builtIn("colocation"), 9);
        SimTests.applyExactly(m, List.of(new Setting.CpuMaxUsec(cgroup, quotaUsec, periodUsec)));
        Telemetry prev = m.sample();
        int throttledPeriods = 0;
        for (int period = 0; period < 100; period++) {
            m.advance(periodUsec * 1000);
            Telemetry cur = m.sample();
            TelemetryInterval iv = TelemetryInterval.between(prev, cur);
            double used = iv.delta(Signal.CGROUP_USAGE_USEC, cgroup);
            assertTrue(used <= quotaUsec, "period " + period + ": used " + used + " us of a " + quotaUsec + " us quota");
            assertEquals(1.0, iv.delta(Signal.CGROUP_PERIODS, cgroup), "one period elapsed");
            if (iv.delta(Signal.CGROUP_THROTTLED_PERIODS, cgroup) == 1) {
                throttledPeriods++;
                assertTrue(used >= quotaUsec - 1, "a throttled period used its whole quota: " + used);
                assertTrue(iv.delta(Signal.CGROUP_THROTTLED_USEC, cgroup) > 0, "throttled time counted");
            }
            prev = cur;
        }
        assertTrue(throttledPeriods >= 50, "the quota binds in most periods: " + throttledPeriods + "/100");
    }

    @Test
    void quotaHoldsOverPeriodsThatDoNotAlignWithSteps() {
        // 33.333 ms periods over 1 ms steps: period boundaries fall inside steps.
        SimMachine m = new SimMachine(Scenarios.builtIn("colocation"), 9);
        SimTests.applyExactly(m, List.of(new Setting.CpuMaxUsec(1, 10000, 33333)));
        Telemetry a = m.sample();
        m.advance(9_999_900_000L / 1_000_000 * 1_000_000);
        Telemetry b = m.sample();
        TelemetryInterval iv = TelemetryInterval.between(a, b);
        double periods = iv.delta(Signal.CGROUP_PERIODS, 1);
        double used = iv.delta(Signal.CGROUP_USAGE_USEC, 1);
        assertEquals(299, periods, 1, "10 s is 300 periods of 33.333 ms");
        // The last period may be partly used: at most one quota beyond the finished periods.
        assertTrue(used <= (periods + 1) * 10000, "used " + used + " us in " + periods + " periods");
        assertTrue(used >= (periods - 1) * 10000, "the quota binds: used " + used + " us");
    }

    @Test
    void unlimitedQuotaCountsNoPeriodsAndTheJobUsesWhatTheServiceLeaves() {
        SimMachine m = new SimMachine(Scenarios.builtIn("colocation"), 9);
        Telemetry a = m.sample();
        m.advance(2_000_000_000L);
        TelemetryInterval iv = TelemetryInterval.between(a, m.sample());
        assertEquals(0, iv.delta(Signal.CGROUP_PERIODS, 1), "no bandwidth timer without a quota");
        double cpus = iv.cgroupCpus(0) + iv.cgroupCpus(1);
        assertEquals(8.0, cpus, 0.01, "service and batch job together fill the 8 CPUs");
    }
}
