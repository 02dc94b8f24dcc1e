package dev.cohort.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.platform.linux.faketree.TreeSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cohort doctor} and {@code cohort bench sample}, driven through {@link Main#run}. */
class DoctorAndBenchCommandTest {
    @TempDir
    Path root;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void doctorOnAFakeIntelServerListsEverySignalAndControl() throws Exception {
        FakeTreeWriter.write(root, TreeSpec.intelServer(8, 2));
        Run r = run("doctor", "--root", root.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("kernel   6.1.0-fake-amd64"), r.out());
        assertTrue(r.out().contains("8 policies, driver intel_pstate, governor powersave, intel_pstate status=active"), r.out());
        assertTrue(r.out().contains("ok       cpu.freq_khz"), r.out());
        assertTrue(r.out().contains("ok       pkg.energy_uj                      powercap package energy_uj; needs root or CAP_DAC_READ_SEARCH"), r.out());
        assertTrue(r.out().contains("ok       mba_percent"), r.out());
        assertTrue(r.out().contains("missing  cpu.cycles                         perf_event_open counts the running kernel"), r.out());
        assertTrue(r.out().contains("skipped  ProcStatHostTest (per-CPU utilisation vs mpstat): reads a captured tree"), r.out());
    }

    @Test
    void doctorWithTheConfigReadsItsRootCgroupsAndLatencySources() throws Exception {
        FakeTreeWriter.write(root, TreeSpec.intelServer(8, 2));
        Path cfg = java.nio.file.Files.writeString(root.resolveSibling(root.getFileName() + ".yaml"), """
                host: {root: %s, perf: false}
                cgroups:
                  - name: web
                    path: system.slice/web.service
                    role: latency-critical
                    slo: {target: 5ms}
                    latency: {source: prometheus, port: 9100, metric: http_request_duration_seconds}
                  - {name: batch, path: batch.slice, role: best-effort}
                """.formatted(root));
        Run without = run("doctor", "--root", root.toString());
        assertTrue(without.out().contains("missing  cgroup.latency_quantile_usec"), without.out());

        Run r = run("doctor", "--config", cfg.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("config   " + cfg), r.out());
        assertTrue(r.out().contains("ok       cgroup.latency_quantile_usec       configured in " + cfg
                + ": web: prometheus http://127.0.0.1:9100/metrics http_request_duration_seconds"), r.out());
        assertTrue(r.out().contains("ok       cgroup.usage_usec"), "the configured cgroups are read: " + r.out());
        assertTrue(r.out().contains("8 policies, driver intel_pstate"), "host.root from the configuration: " + r.out());
    }

    @Test
    void doctorJsonIsParseableAndComplete() throws Exception {
        FakeTreeWriter.write(root, TreeSpec.intelServer(4, 1).withRapl(false));
        Run r = run("doctor", "--json", "--root", root.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(dev.cohort.platform.Signal.values().length, j.path("signals").size());
        assertEquals(dev.cohort.platform.Control.values().length, j.path("controls").size());
        JsonNode pkg = j.path("signals").get(dev.cohort.platform.Signal.PKG_ENERGY_UJ.ordinal());
        assertEquals("pkg.energy_uj", pkg.path("name").asText());
        assertTrue(!pkg.path("available").asBoolean() && pkg.path("reason").asText().contains("sys/class/powercap"), pkg.toString());
        assertEquals("v2", j.path("host").path("cgroups").asText().substring(0, 2));
    }

    @Test
    void doctorOnThisHostIsUsefulAndHonest() throws Exception {
        Run r = run("doctor");
        assertEquals(0, r.code(), r.err());
        String kernel = java.nio.file.Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        assertTrue(r.out().contains(kernel), r.out());
        boolean cpufreq = new java.io.File("/sys/devices/system/cpu/cpufreq").list((d, n) -> n.startsWith("policy")) instanceof String[] a && a.length > 0;
        assertEquals(!cpufreq, r.out().contains("missing  freq_max_khz"), r.out());
    }

    @Test
    void doctorRejectsAMissingRoot() {
        Run r = run("doctor", "--root", root.resolve("nope").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("is not a directory"), r.err());
    }

    @Test
    void benchSampleOnAFakeTreeAndUsageErrors() {
        Run r = run("bench", "sample", "--fake-cpus", "16", "--iterations", "50");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s)sample\\(\\) of a 16-CPU fake tree: 16 CPUs, \\d+ signals, 50 iterations: median [0-9.]+ [mµ]?s, p99 [0-9.]+ [mµ]?s, max [0-9.]+ [mµ]?s\\s*"), r.out());
        assertTrue(!r.out().contains(" us"), "µs, never us: " + r.out());
        assertEquals(2, run("bench", "sample", "--iterations", "0").code());
        assertEquals(2, run("bench", "sample", "--root", "/", "--fake-cpus", "4").code(), "the sources are exclusive");
        Run group = run("bench");
        assertEquals(0, group.code());
        assertTrue(group.out().contains("sample"), group.out());
    }
}
