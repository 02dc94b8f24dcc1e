package dev.cohort.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.platform.linux.faketree.TreeSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cohort status}, {@code tune}, {@code restore} and {@code journal} without a daemon, through {@link Main#run}. */
class OperatorCommandsTest {
    @TempDir
    Path dir;
    Path tree;
    Path config;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeEach
    void host() throws Exception {
        tree = FakeTreeWriter.write(dir.resolve("tree"), TreeSpec.intelServer(4, 1));
        config = configFor(dir, tree);
    }

    /** A configuration for {@code tree} with the two cgroups it has (web latency-critical, batch best-effort), in {@code dir}. */
    static Path configFor(Path dir, Path tree) throws java.io.IOException {
        return Files.writeString(dir.resolve("cohort.yaml"), """
                host: {root: %s, perf: false}
                paths: {state_dir: %s, journal: %s}
                cgroups:
                  - {name: web, path: system.slice/web.service, role: latency-critical, slo: {target: 5ms}}
                  - {name: batch, path: batch.slice, role: best-effort}
                """.formatted(tree, dir.resolve("run"), dir.resolve("journal.jsonl")));
    }

    @Test
    void statusWithoutADaemonSaysSoAndReadsTheHost() {
        Run r = run("status", "--config", config.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("no cohort daemon is running (no answer on " + dir.resolve("run/cohort.sock")
                + "); the host's state, read directly:\nhost (read directly): backend linux, 4 CPUs, 1 package(s)"), r.out());
        assertTrue(r.out().matches("(?s).*\\n0\\s+policy0\\s+0\\s+\\d+\\s+.*3900\\s+800\\s+balance_performance.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\nbatch\\s+best-effort\\s+max 100000\\s+100 .*"), r.out());
        assertTrue(r.out().contains("! cpufreq governor powersave (driver intel_pstate, 4 policies)"), r.out());
        Run json = run("status", "--json", "--config", config.toString());
        assertTrue(json.out().startsWith("{\"schema\":1,\"daemon\":null,"), json.out());
        Run watch = run("status", "--watch", "0.2", "--times", "2", "--config", config.toString());
        assertEquals(2, watch.out().split("no cohort daemon is running").length - 1, "two refreshes");
    }

    @Test
    void tuneWithoutADaemonWritesSavesAndRestoreBringsItBack() throws Exception {
        Path cpuMax = tree.resolve("sys/fs/cgroup/batch.slice/cpu.max");
        Run t = run("tune", "--config", config.toString(), "quota", "batch", "250%");
        assertEquals(0, t.code(), t.out() + t.err());
        assertTrue(t.out().startsWith("requested quota batch = 250%\n"), t.out());
        assertTrue(t.out().matches("(?s).*cgroup 1\\s+cpu.max us\\s+requested 250000 100000\\s+applied 250000 100000\\s+applied.*"), t.out());
        assertTrue(t.out().contains("written directly (no daemon running); the original is saved in " + dir.resolve("run/state.json")), t.out());
        assertEquals("250000 100000", Files.readString(cpuMax).strip());
        Run f = run("tune", "--config", config.toString(), "freq", "all", "2.4GHz");
        assertEquals(0, f.code(), f.out() + f.err());
        assertEquals(4, f.out().lines().filter(l -> l.startsWith("freq-domain")).count(), f.out());
        Run bad = run("tune", "--config", config.toString(), "mba", "0", "5%");
        assertEquals(1, bad.code());
        assertEquals("cohort: MBA 5% is outside mem-domain 0 range 10%..100% (in steps of 10%, rounded up)\n", bad.err());
        Run release = run("tune", "--config", config.toString(), "release", "all");
        assertEquals("cohort: no cohort daemon is running, so no override is held (a tune without the daemon stays until cohort restore)\n",
                release.err());

        Run r = run("restore", "--config", config.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("restored " + cpuMax + " (cgroup v2 CPU bandwidth quota and period (cpu.max)) to 'max 100000' (was '250000 100000')"),
                r.out());
        assertTrue(r.out().contains("restore: 5 restored, 0 already original, 0 changed by someone else, 0 failed"), r.out());
        assertEquals("max 100000", Files.readString(cpuMax).strip());
        assertEquals("3900000", Files.readString(tree.resolve("sys/devices/system/cpu/cpufreq/policy2/scaling_max_freq")).strip());
        assertEquals("nothing to restore: " + dir.resolve("run/state.json") + " holds no saved knobs\n",
                run("restore", "--config", config.toString()).out());
    }

    @Test
    void aWideTickIsFoldedAndNanosecondTimestampsAreCut() throws Exception {
        StringBuilder settings = new StringBuilder();
        for (int d = 0; d < 128; d++) {
            settings.append(d == 0 ? "" : ",").append("{\"control\":\"FREQ_MAX_KHZ\",\"target\":\"freq-domain ").append(d)
                    .append("\",\"value\":\"2400000 kHz\",\"outcome\":\"APPLIED\",\"requested\":\"2400000\",\"applied\":\"2400000\"}");
        }
        Files.writeString(dir.resolve("journal.jsonl"), "{\"tick\":7,\"ts\":\"2026-01-01T00:00:01.123456789Z\",\"policy\":\"learned\","
                + "\"settings\":[" + settings + "],\"notes\":[]}\n");
        Run r = run("journal", "--config", config.toString());
        assertEquals(0, r.code(), r.err());
        String line = r.out().strip();
        assertTrue(line.startsWith("2026-01-01T00:00:01.123Z  tick 7  learned  freq-domain 0 2.4 GHz applied; "), line);
        assertTrue(line.endsWith("… 120 more settings (--json for all)"), line);
        assertTrue(line.length() < 400, "one readable line, not a 128-setting dump: " + line.length());
    }

    @Test
    void journalShowsDecisionsAndEventsReadably() throws Exception {
        Path j = dir.resolve("journal.jsonl");
        Files.writeString(j.resolveSibling("journal.jsonl.1"), """
                {"event":"start","ts":"2026-01-01T00:00:00Z","notes":["cohort 0.1 pid 1","competing tuner: tuned (pid 9)"]}
                {"tick":1,"ts":"2026-01-01T00:00:01Z","t_s":1.0,"policy":"slo-guard","fallback":false,"dry_run":false,"power_w":50.5,"min_slack":0.5,"settings":[],"notes":[]}
                """);
        Files.writeString(j, """
                {"tick":2,"ts":"2026-01-01T00:10:00Z","t_s":1.1,"policy":"slo-guard","fallback":false,"dry_run":false,"power_w":51.0,"min_slack":0.4,"settings":[{"control":"FREQ_MAX_KHZ","target":"freq-domain 0","value":"2000000 kHz","outcome":"CLAMPED","requested":"2000000","applied":"1900000","detail":"x"}],"notes":["override: freq-domain 0 to full speed"]}
                {"event":"stop","ts":"2026-01-01T00:20:00Z","notes":["stopping: SIGTERM","restore: 1 restored"]}
                """);
        Run r = run("journal", "--config", config.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                2026-01-01T00:00:00Z  start: cohort 0.1 pid 1 | competing tuner: tuned (pid 9)
                2026-01-01T00:10:00Z  tick 2  slo-guard  51 W  slack 0.40  freq-domain 0 2 GHz clamped to 1.9 GHz; override: freq-domain 0 to full speed
                2026-01-01T00:20:00Z  stop: stopping: SIGTERM | restore: 1 restored
                """, r.out(), "ticks that decided nothing are left out");
        assertEquals(4, run("journal", "--all", "--config", config.toString()).out().lines().count());
        assertEquals(2, run("journal", "--since", "2026-01-01T00:05:00Z", "--config", config.toString()).out().lines().count());
        assertEquals(1, run("journal", "-n", "1", "--json", "--config", config.toString()).out().lines().filter(l -> l.startsWith("{\"event\":\"stop\"")).count());
        assertEquals("cohort: --since 'yesterday' is neither a duration back from now (10m, 2h) nor a UTC time (2025-11-21T06:00:00Z)\n",
                run("journal", "--since", "yesterday", "--config", config.toString()).err());
    }
}
