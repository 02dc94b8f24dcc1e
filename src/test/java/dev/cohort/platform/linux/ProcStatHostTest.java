package dev.cohort.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.platform.Signal;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.TelemetryInterval;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Per-CPU utilisation from /proc/stat against mpstat (sysstat) over the same interval, on this kernel. */
@Tag("host")
class ProcStatHostTest {

    @Test
    void perCpuUtilisationAgreesWithMpstat() throws Exception {
        Host.requireTool("mpstat", "sysstat");
        Process spin = null;
        try (LinuxPlatform p = new LinuxPlatform(new LinuxPlatform.Options(Host.ROOT, java.util.List.of(), "cohort-be",
                dev.cohort.platform.CpuSet.empty(), dev.cohort.platform.StateStore.inMemory(), false))) {
            int cpus = p.topology().cpuCount();
            if (DoctorReport.onPath("taskset") && cpus > 1) {
                // a steady, known load: CPU 1 busy, the rest whatever the host is doing
                spin = Host.start("taskset", "-c", "1", "sh", "-c", "while :; do :; done");
                Thread.sleep(300);
            }
            Telemetry a = p.sample();
            String out = Host.run(30, "mpstat", "-o", "JSON", "-P", "ALL", "2", "1");
            Telemetry b = p.sample();
            JsonNode loads = new ObjectMapper().readTree(out.substring(0, out.indexOf("\n--stderr--")))
                    .path("sysstat").path("hosts").get(0).path("statistics").get(0).path("cpu-load");
            Map<Integer, Double> mp = new HashMap<>();
            for (JsonNode l : loads) {
                if (!l.path("cpu").asText().equals("all")) {
                    mp.put(Integer.parseInt(l.path("cpu").asText()), 100 - l.path("idle").asDouble() - l.path("iowait").asDouble());
                }
            }
            TelemetryInterval iv = TelemetryInterval.between(a, b);
            assertTrue(iv.has(Signal.CPU_BUSY_NANOS));
            assertEquals(p.topology().cpuCount(), mp.size(), "mpstat and cohort see the same CPUs: " + mp);
            StringBuilder table = new StringBuilder();
            for (var e : mp.entrySet()) {
                double ours = iv.utilisation(e.getKey()) * 100;
                table.append(String.format("cpu%d cohort %.1f%% mpstat %.1f%%; ", e.getKey(), ours, e.getValue()));
                assertEquals(e.getValue(), ours, 10.0, "busy percent of cpu" + e.getKey() + " (" + table + ")");
            }
            if (spin != null) {
                assertTrue(iv.utilisation(1) > 0.8, "the spinner keeps CPU 1 busy: " + table);
            }
            System.out.println("ProcStatHostTest: " + table);
        } finally {
            Host.stop(spin);
        }
    }
}
