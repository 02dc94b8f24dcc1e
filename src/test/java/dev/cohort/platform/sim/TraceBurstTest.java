package dev.cohort.platform.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.Telemetry;
import dev.cohort.platform.TelemetryInterval;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replayed Azure trace keeps its arrival times, and its bursts show up in the tail latency. */
class TraceBurstTest {
    private static final long WINDOW_NS = 500_000_000;

    /** The built-in trace scenario replayed from the trace's first request (it ships with a seeded phase). */
    static Scenario fromTheStart(Path dir) throws IOException {
        String yaml;
        try (var in = Scenarios.class.getResourceAsStream("/configs/scenarios/trace.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path p = dir.resolve("scenarios").resolve("trace-start.yaml");
        Files.createDirectories(p.getParent());
        Files.writeString(p, yaml.replaceAll("phase: seeded.*", "phase: start"));
        return Scenarios.load(p);
    }

    @Test
    void eachSeedReplaysAnotherPhaseOfTheShippedScenario() {
        Scenario s = Scenarios.builtIn("trace");
        assertEquals(ArrivalSpec.Trace.Phase.SEEDED, ((ArrivalSpec.Trace) s.services().getFirst().arrivals()).phase());
        var a = new SimMachine(s, 1);
        var b = new SimMachine(s, 2);
        a.advance(2_000_000_000L);
        b.advance(2_000_000_000L);
        long ra = a.sample().counter(dev.cohort.platform.Signal.CGROUP_REQUESTS, 0);
        long rb = b.sample().counter(dev.cohort.platform.Signal.CGROUP_REQUESTS, 0);
        assertTrue(ra != rb, "two seeds replayed the same part of the trace: " + ra + " requests each");
    }

    @Test
    void theDensestWindowOfTheTraceHasAMuchHigherP99ThanTheMedianWindow(@TempDir Path dir) throws IOException {
        Scenario s = fromTheStart(dir);
        ArrivalSpec.Trace tr = (ArrivalSpec.Trace) s.services().getFirst().arrivals();
        TraceData data = tr.trace();
        assertEquals(19_366, data.count(), "every request of the shipped trace");
        int windows = (int) (s.durationNanos() / WINDOW_NS);
        // Arrivals per simulated window, straight from the trace file's timestamps.
        int[] arrivals = new int[windows];
        for (int i = 0; i < data.count(); i++) {
            long k = (long) (data.offsetNanos(i) * tr.timeScale() / WINDOW_NS);
            if (k < windows) {
                arrivals[(int) k]++;
            }
        }
        SimMachine m = new SimMachine(s, 1);
        double[] p99 = new double[windows];
        long[] completed = new long[windows];
        Telemetry prev = m.sample();
        for (int k = 0; k < windows; k++) {
            m.advance(WINDOW_NS);
            Telemetry cur = m.sample();
            TelemetryInterval iv = TelemetryInterval.between(prev, cur);
            p99[k] = iv.latencyQuantileUsec(0, 0.99);
            completed[k] = iv.latency(0).count();
            prev = cur;
        }
        int densest = 0;
        for (int k = 1; k < windows; k++) {
            if (arrivals[k] > arrivals[densest]) {
                densest = k;
            }
        }
        double[] sorted = p99.clone();
        Arrays.sort(sorted);
        double median = sorted[windows / 2];
        assertTrue(arrivals[densest] > 1.4 * Arrays.stream(arrivals).sorted().toArray()[windows / 2],
                "the trace is bursty: " + arrivals[densest] + " arrivals in the densest window");
        assertTrue(p99[densest] > 1.8 * median, "p99 in the densest window (" + p99[densest] + " us, "
                + arrivals[densest] + " arrivals) against the median window's " + median + " us");
        assertTrue(p99[densest] > s.services().getFirst().sloUsec(), "the burst breaks the SLO");
        assertTrue(median < s.services().getFirst().sloUsec(), "a typical window meets it");
        long total = Arrays.stream(completed).sum();
        assertTrue(total > 0.95 * data.count(), "the whole trace is replayed within the run: " + total);
    }
}
