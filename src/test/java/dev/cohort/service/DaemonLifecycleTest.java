package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.platform.Platform;
import dev.cohort.platform.linux.FakeKernelBackend;
import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.platform.linux.faketree.TreeSpec;
import dev.cohort.service.systemd.ShutdownProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's lifecycle in-process on a fake kernel tree: restore policies, a kept state adopted by the next
 * start, reload, the fixed tick grid and its overruns, the lock against a second daemon, a dry run over a leftover
 * state, and competing tuners reported at start.
 */
class DaemonLifecycleTest {
    @TempDir
    Path dir;
    Path tree;
    Path socket;

    @BeforeEach
    void host() throws Exception {
        tree = FakeTreeWriter.write(dir.resolve("tree"), TreeSpec.intelServer(8, 2).withDriver(TreeSpec.Driver.ACPI_CPUFREQ));
        socket = dir.resolve("run/cohort.sock");
    }

    Path config(String name, String extra, String policy) throws Exception {
        Path c = dir.resolve(name);
        Files.writeString(c, """
                period: 20ms
                host: {root: %s, perf: false}
                paths: {state_dir: %s, journal: %s}
                metrics: {enabled: false}
                policy: {core: "%s", memory: "%s", quota: "%s"}
                cgroups:
                  - {name: web, path: system.slice/web.service, role: latency-critical, slo: {target: 5ms}}
                  - {name: batch, path: batch.slice, role: best-effort}
                %s
                """.formatted(tree, dir.resolve("run"), dir.resolve("journal.jsonl"), policy, policy, policy, extra));
        return c;
    }

    InProcessDaemon start(Path cfg, ShutdownProbe probe) {
        return new InProcessDaemon(cfg, socket, null, FakeKernelBackend.factory(), probe);
    }

    static long ticks(JsonNode s) {
        return s.path("ticks").path("count").asLong();
    }

    @Test
    void restoreOnExitNeverKeepsTheKnobsAndTheNextStartAdoptsTheOriginals() throws Exception {
        TreeSnapshot original = TreeSnapshot.of(tree);
        String writes = "static:core=0.3,memory=0.5,quota=0.5";
        try (InProcessDaemon d = start(config("never.yaml", "restore_on_exit: never", writes), () -> false)) {
            d.awaitStatus(x -> ticks(x) >= 5, 30_000);
            assertEquals(0, d.stop());
            assertTrue(d.log().contains("restore_on_exit never: knobs left as they are"), d.log());
        }
        TreeSnapshot left = TreeSnapshot.of(tree);
        assertNotEquals(List.of(), left.diff(original), "the knobs stay as cohort set them");
        assertTrue(Files.exists(dir.resolve("run/state.json")) && Files.exists(dir.resolve("run/kept-on-exit")));

        // the next start must not treat the kept state as a crash: it holds the same values and keeps the originals
        try (InProcessDaemon d = start(config("always.yaml", "restore_on_exit: always", writes), () -> false)) {
            d.awaitStatus(x -> ticks(x) >= 3, 30_000);
            assertEquals(List.of(), TreeSnapshot.of(tree).diff(left), "nothing restored at start\n" + d.log());
            assertTrue(d.log().contains("kept by the last stop (restore_on_exit never)"), d.log());
            assertEquals(0, d.stop());
        }
        assertEquals(List.of(), TreeSnapshot.of(tree).diff(original), "the first run's originals came back");
        assertTrue(Files.notExists(dir.resolve("run/kept-on-exit")));
    }

    @Test
    void notAtShutdownSkipsTheRestoreOnlyWhileTheSystemGoesDown() throws Exception {
        TreeSnapshot original = TreeSnapshot.of(tree);
        Path cfg = config("nas.yaml", "restore_on_exit: not-at-shutdown", "static:core=0.3,memory=0.5,quota=0.5");
        try (InProcessDaemon d = start(cfg, () -> true)) {
            d.awaitStatus(x -> ticks(x) >= 3, 30_000);
            assertEquals(0, d.stop());
            assertTrue(d.log().contains("and the system is shutting down: knobs left as they are"), d.log());
        }
        assertNotEquals(List.of(), TreeSnapshot.of(tree).diff(original));
        try (InProcessDaemon d = start(cfg, () -> false)) {
            d.awaitStatus(x -> ticks(x) >= 3, 30_000);
            assertEquals(0, d.stop());
        }
        assertEquals(List.of(), TreeSnapshot.of(tree).diff(original), "a plain stop restores");
        assertTrue(ShutdownProbe.jobsMeanShutdown("  1 reboot.target start waiting\n  2 systemd-reboot.service start waiting"));
        assertTrue(!ShutdownProbe.jobsMeanShutdown("123 nginx.service restart running"));
    }

    @Test
    void reloadSwapsThePolicyAndKeepsTheKnobsAndABadFileChangesNothing() throws Exception {
        TreeSnapshot original = TreeSnapshot.of(tree);
        Path cfg = config("r.yaml", "", "static:core=0.3,memory=0.5,quota=0.5");
        try (InProcessDaemon d = new InProcessDaemon(cfg, socket, null, FakeKernelBackend.factory(), () -> false)) {
            d.awaitStatus(x -> ticks(x) >= 3, 30_000);
            String tuned = DaemonFakeTreeTest.cli("tune", "--config", cfg.toString(), "weight", "batch", "50");
            assertTrue(tuned.contains("held by the running daemon"), tuned);
            Files.writeString(cfg, Files.readString(cfg).replace("static:core=0.3,memory=0.5,quota=0.5", "performance")
                    .replace("period: 20ms", "period: 30ms"));
            d.daemon.requestReload();
            JsonNode s = d.awaitStatus(x -> x.path("policy").path("core").asText().equals("performance"), 10_000);
            assertEquals(30.0, s.path("daemon").path("period_ms").asDouble());
            assertEquals(1, s.path("overrides").size(), "the override outlives the reload");
            assertEquals("50\n", Files.readString(tree.resolve("sys/fs/cgroup/batch.slice/cpu.weight")));
            Files.writeString(cfg, Files.readString(cfg) + "\nbogus: 1\n");
            d.daemon.requestReload();
            Thread.sleep(300);
            JsonNode after = d.awaitStatus(x -> true, 5000);
            assertEquals("performance", after.path("policy").path("core").asText(), "a bad file keeps the running configuration");
            assertTrue(d.log().contains("reload failed, the running configuration stays: ") && d.log().contains("bogus: unknown key"), d.log());
            assertEquals(0, d.stop());
        }
        assertEquals(List.of(), TreeSnapshot.of(tree).diff(original), "every knob, the override's included, restored");
        assertTrue(Files.readString(dir.resolve("journal.jsonl")).contains("\"event\":\"reload\""));
    }

    @Test
    void ticksStayOnAFixedGridAndLateTicksCountOverruns() throws Exception {
        Backend.Factory slow = cfg -> {
            Backend b = FakeKernelBackend.factory().open(cfg);
            return new Backend(new SlowPlatform(b.platform(), 35), b.advance(), b.durable(), b.tdpWatts(), b.memPeakBytesPerSec(), b.idleWatts());
        };
        try (InProcessDaemon d = new InProcessDaemon(config("g.yaml", "", "performance"), socket, null, slow, () -> false)) {
            JsonNode a = d.awaitStatus(x -> ticks(x) >= 2, 30_000);
            long t0 = System.nanoTime();
            Thread.sleep(2000);
            JsonNode b = d.awaitStatus(x -> true, 5000);
            double slots = (System.nanoTime() - t0) / 20e6;
            long ticked = ticks(b) - ticks(a);
            long over = b.path("ticks").path("overruns").asLong() - a.path("ticks").path("overruns").asLong();
            assertTrue(over >= ticked - 2, "a 35 ms tick misses the next 20 ms deadline: " + ticked + " ticks, " + over + " overruns");
            assertTrue(Math.abs(ticked + over - slots) <= 6, "every 20 ms slot is either ticked or counted: " + ticked + " + " + over
                    + " vs " + slots);
            assertEquals(0, d.stop());
        }
    }

    @Test
    void aSecondDaemonIsRefusedByTheLockWithTheHoldersPid() throws Exception {
        Path cfg = config("l.yaml", "", "performance");
        try (InProcessDaemon d = start(cfg, () -> false)) {
            d.awaitStatus(x -> ticks(x) >= 1, 30_000);
            try (DaemonProcess other = DaemonProcess.start(dir.resolve("second.log"), dir.resolve("none.sock"), Map.of(),
                    "dev.cohort.cli.Main", "run", "--config", cfg.toString())) {
                assertEquals(1, other.await(60_000));
                assertTrue(other.log().contains("cohort: another cohort (pid " + ProcessHandle.current().pid() + ") holds "
                        + dir.resolve("run/cohort.lock") + ", so the daemon cannot write knobs; stop it first"), other.log());
            }
            String restore = DaemonFakeTreeTest.run("restore", "--config", cfg.toString());
            assertTrue(restore.contains("so cohort restore cannot write knobs"), restore);
            assertEquals(0, d.stop());
        }
    }

    @Test
    void aDryRunRefusesToStartOverALeftoverStateFile() throws Exception {
        Files.createDirectories(dir.resolve("run"));
        Files.writeString(dir.resolve("run/state.json"), """
                {"version":1,"pid":1,"knobs":[{"id":"%s","description":"cpu.max","original":"max 100000","lastWritten":"30000 100000"}]}
                """.formatted(tree.resolve("sys/fs/cgroup/batch.slice/cpu.max")));
        try (InProcessDaemon d = new InProcessDaemon(config("d.yaml", "", "performance"), socket, true, FakeKernelBackend.factory(), () -> false)) {
            RuntimeException e = d.failure();
            assertNotNull(e, d.log());
            assertTrue(e.getMessage().contains("holds 1 knob(s) changed by a run that did not stop cleanly; a dry run writes nothing, so run cohort restore first"),
                    e.getMessage());
        }
    }

    @Test
    void competingTunersAreReportedAtStartInTheLogTheJournalAndStatus() throws Exception {
        FakeTreeWriter.put(tree, "proc/4321/comm", "tuned\n");
        FakeTreeWriter.put(tree, "proc/4400/comm", "power-profiles-\n");
        Files.createDirectories(tree.resolve("sys/fs/resctrl/pqos-group"));
        try (InProcessDaemon d = start(config("c.yaml", "", "performance"), () -> false)) {
            JsonNode s = d.awaitStatus(x -> ticks(x) >= 1, 30_000);
            String all = s.path("competitors").toString();
            assertTrue(all.contains("competing tuner: power-profiles (pid 4400)"), all);
            assertTrue(all.contains("competing tuner: tuned (pid 4321) is running: TuneD applies profiles"), all);
            assertTrue(all.contains("resctrl groups not cohort's: pqos-group"), all);
            assertTrue(all.contains("cpufreq governor schedutil (driver acpi-cpufreq, 2 policies)"), all);
            assertTrue(d.log().contains("competing tuner: tuned (pid 4321)"), d.log());
            assertEquals(0, d.stop());
        }
        assertTrue(Files.readString(dir.resolve("journal.jsonl")).contains("competing tuner: tuned (pid 4321)"));
    }

    @Test
    void aServicesFileLatencySourceReachesTheTickAndItsOverride() throws Exception {
        TreeSnapshot original = TreeSnapshot.of(tree);
        Path p99 = dir.resolve("web-p99");
        Files.writeString(p99, "1200\n");
        Path cfg = dir.resolve("lat.yaml");
        Files.writeString(cfg, """
                period: 20ms
                host: {root: %s, perf: false}
                paths: {state_dir: %s, journal: %s}
                metrics: {enabled: false}
                policy: {core: "static:core=0.2", memory: "static:memory=1", quota: "static:quota=1"}
                cgroups:
                  - name: web
                    path: system.slice/web.service
                    role: latency-critical
                    slo: {target: 5ms}
                    latency: {source: file, file: %s, interval: 20ms}
                """.formatted(tree, dir.resolve("run"), dir.resolve("journal.jsonl"), p99));
        try (InProcessDaemon d = start(cfg, () -> false)) {
            JsonNode ok = d.awaitStatus(x -> x.path("cgroups").get(0).path("latency_us").asDouble() == 1200, 30_000);
            assertEquals(1 - 1200 / 5000.0, ok.path("cgroups").get(0).path("slack").asDouble(), 1e-9);
            assertTrue(ok.path("cgroups").get(0).path("latency_source").asText().startsWith("file " + p99), ok.toString());
            d.awaitStatus(x -> x.path("freq_domains").get(0).path("max_limit_mhz").asDouble() < 3401, 30_000);
            Files.writeString(p99, "9000\n"); // over the 5 ms target: the governor puts the service's cores to full speed
            JsonNode bad = d.awaitStatus(x -> x.path("slo").path("violated").asBoolean()
                    && x.path("freq_domains").get(0).path("max_limit_mhz").asDouble() == 3401, 30_000);
            assertTrue(bad.path("cgroups").get(0).path("slack").asDouble() < 0);
            assertEquals(0, d.stop());
        }
        assertTrue(Files.readString(dir.resolve("journal.jsonl")).contains("to full speed for a service in trouble"));
        assertEquals(List.of(), TreeSnapshot.of(tree).diff(original));
    }

    /** A backend whose samples take {@code millis}: every tick runs past the next deadline. */
    record SlowPlatform(Platform p, long millis) implements Platform {
        public String name() {
            return p.name();
        }

        public dev.cohort.platform.Topology topology() {
            return p.topology();
        }

        public dev.cohort.platform.Capabilities capabilities() {
            return p.capabilities();
        }

        public dev.cohort.platform.Telemetry sample() {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return p.sample();
        }

        public List<dev.cohort.platform.SettingResult> apply(dev.cohort.platform.ControlPlan plan) {
            return p.apply(plan);
        }

        public List<dev.cohort.platform.Setting> currentSettings() {
            return p.currentSettings();
        }

        public dev.cohort.platform.RestoreReport restore(boolean force) {
            return p.restore(force);
        }

        public void close() {
            p.close();
        }
    }
}
