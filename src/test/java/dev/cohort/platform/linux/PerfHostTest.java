package dev.cohort.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cohort.platform.CpuSet;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** perf_event_open through FFM on this kernel: software events agree with perf stat; hardware events degrade with a reason. */
@Tag("host")
class PerfHostTest {

    @Test
    void softwareEventsAgreeWithPerfStat() throws Exception {
        Host.requireTool("perf", "linux-perf");
        Path stream = Host.nativeBinary("cohort-stream");
        CpuSet online = new SysTopology(Host.ROOT).read().online();
        int n = online.get(online.size() - 1) + 1;
        List<PerfCounters.Event> events = List.of(PerfCounters.CPU_CLOCK, PerfCounters.PAGE_FAULTS, PerfCounters.CONTEXT_SWITCHES);
        Process load = null;
        try (PerfCounters pc = PerfCounters.open(events, online, n)) {
            for (PerfCounters.Status s : pc.statuses()) {
                assumeTrue(s.available(), "software event unavailable here: " + s.reason());
            }
            load = Host.start(stream.toString(), "-f", "-m", "64", "-s", "20");   // a steady stream of page faults
            Thread.sleep(300);
            long[][] a = new long[3][n];
            long[][] b = new long[3][n];
            long t0 = System.nanoTime();
            pc.read(a);
            String out = Host.run(30, "perf", "stat", "-a", "-x", ",", "-e", "cpu-clock,page-faults,context-switches", "--", "sleep", "2");
            pc.read(b);
            double ourSeconds = (System.nanoTime() - t0) / 1e9;
            Map<String, double[]> perf = new HashMap<>(); // event -> {count, window seconds}
            for (String line : out.lines().toList()) {
                String[] f = line.split(",");
                if (f.length > 3 && !f[0].isEmpty() && Character.isDigit(f[0].charAt(0))) {
                    perf.put(f[2], new double[]{Double.parseDouble(f[0]), Double.parseDouble(f[3]) / 1e9 / online.size()});
                }
            }
            assertTrue(perf.containsKey("page-faults") && perf.containsKey("cpu-clock"), "perf stat output: " + out);
            double[] ourRate = new double[3];
            for (int e = 0; e < 3; e++) {
                long sum = 0;
                for (int c = 0; c < n; c++) {
                    sum += b[e][c] - a[e][c];
                }
                ourRate[e] = sum / ourSeconds;
            }
            double perfClockRate = perf.get("cpu-clock")[0] * 1e6 / perf.get("cpu-clock")[1]; // msec -> ns per second
            double perfFaultRate = perf.get("page-faults")[0] / perf.get("page-faults")[1];
            String report = String.format("cpu-clock cohort %.3g ns/s perf %.3g ns/s; page-faults cohort %.0f/s perf %.0f/s",
                    ourRate[0], perfClockRate, ourRate[1], perfFaultRate);
            System.out.println("PerfHostTest: " + report);
            assertEquals(1.0, ourRate[0] / perfClockRate, 0.10, "cpu-clock rates: " + report);
            assertEquals(1.0, ourRate[1] / perfFaultRate, 0.20, "page-fault rates: " + report);
            // over 10 000 faults a second on an idle machine; 6 210 beside two training runs
            assertTrue(ourRate[1] > 2000, "the fault workload ran: " + report);
        } finally {
            Host.stop(load);
        }
    }

    @Test
    void hardwareEventsEachDegradeWithTheirOwnReason() {
        Host.requireRoot();
        CpuSet online = CpuSet.of(0);
        try (PerfCounters pc = PerfCounters.open(List.of(PerfCounters.CYCLES, PerfCounters.CPU_CLOCK), online, 1)) {
            PerfCounters.Status cycles = pc.statuses().getFirst();
            PerfCounters.Status clock = pc.statuses().get(1);
            assertTrue(clock.available(), "a software event opens wherever perf exists: " + clock.reason());
            if (!cycles.available()) {
                assertEquals(Errno.ENOENT, cycles.errno(), cycles.reason());
                assertTrue(cycles.reason().contains("not on this PMU"));
                assertEquals(List.of(PerfCounters.CPU_CLOCK), pc.events(), "cpu-clock still counts without cycles");
            }
            long[][] v = new long[pc.events().size()][1];
            pc.read(v);
            long first = v[pc.events().indexOf(PerfCounters.CPU_CLOCK)][0];
            pc.read(v);
            assertTrue(v[pc.events().indexOf(PerfCounters.CPU_CLOCK)][0] >= first, "cumulative");
        }
    }
}
