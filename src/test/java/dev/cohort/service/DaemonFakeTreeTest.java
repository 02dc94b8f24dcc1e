package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.cli.Main;
import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.platform.linux.faketree.TreeSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole daemon as a subprocess on a fake host tree whose writes behave like the kernel's: it starts, ticks and
 * writes; SIGTERM restores the tree byte for byte and exits 0; kill -9 leaves its writes and a state file, and the
 * next start restores every original before anything else; a dry run leaves the tree untouched. Along the way:
 * sd_notify messages on a test datagram socket, the status socket's document, and {@code cohort tune} round trips
 * through the running daemon.
 */
class DaemonFakeTreeTest {
    static final String MAIN = "dev.cohort.platform.linux.FakeKernelBackend";
    @TempDir
    Path dir;
    Path tree;
    Path config;
    Path socket;

    @BeforeEach
    void host() throws Exception {
        tree = FakeTreeWriter.write(dir.resolve("tree"), TreeSpec.intelServer(8, 2).withDriver(TreeSpec.Driver.ACPI_CPUFREQ));
        socket = dir.resolve("run/cohort.sock");
        config = writeConfig("static:core=0.3", "static:memory=0.5", "static:quota=0.5");
    }

    Path writeConfig(String core, String memory, String quota) throws Exception {
        return FakeHostConfig.write(dir, tree, core, memory, quota, 0);
    }

    static long ticks(JsonNode s) {
        return s.path("ticks").path("count").asLong();
    }

    static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        assertEquals(0, code, "cohort " + String.join(" ", args) + ":\n" + out + err);
        return out.toString();
    }

    @Test
    void sigtermRestoresTheTreeByteForByteAfterTicksOverridesAndSdNotify() throws Exception {
        TreeSnapshot before = TreeSnapshot.of(tree);
        String name = "@cohort-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (NotifyReceiver sd = NotifyReceiver.bind(name);
             DaemonProcess d = DaemonProcess.start(dir.resolve("daemon.log"), socket,
                     Map.of("NOTIFY_SOCKET", name, "WATCHDOG_USEC", "300000"), MAIN, config.toString())) {
            List<String> msgs = new ArrayList<>();
            Thread drain = sd.drainInto(msgs);
            JsonNode s = d.awaitStatus(x -> ticks(x) >= 5, 60_000);
            assertFalse(TreeSnapshot.of(tree).diff(before).isEmpty(), "the daemon wrote knobs");
            assertTrue(Files.exists(dir.resolve("run/state.json")), "originals saved before the first write");
            StatusSchemaTest.assertSchema(s);
            assertEquals("linux", s.path("daemon").path("backend").asText());
            assertEquals("static:quota=0.5", s.path("policy").path("quota").asText());

            // tune through the daemon: applied, held against the agents, reported, released
            String tuned = cli("tune", "--config", config.toString(), "quota", "batch", "150%");
            assertTrue(tuned.contains("requested quota batch = 150%"), tuned);
            assertTrue(tuned.matches("(?s).*cgroup 1\\s+cpu_max_usec\\s+requested 150000 100000\\s+applied 150000 100000\\s+applied.*"), tuned);
            assertTrue(tuned.contains("held by the running daemon"), tuned);
            long at = ticks(d.awaitStatus(x -> true, 10_000));
            JsonNode held = d.awaitStatus(x -> ticks(x) >= at + 4, 20_000);
            assertEquals("150000 100000\n", Files.readString(tree.resolve("sys/fs/cgroup/batch.slice/cpu.max")),
                    "the agents leave an overridden knob alone");
            assertEquals("CPU_MAX_USEC", held.path("overrides").get(0).path("control").asText());
            assertEquals("150000 100000", held.path("cgroups").get(1).path("cpu_max").asText());
            // no perf counters on this host: the batch job's work is counted in busy cycles, and status says so
            assertTrue(held.path("cgroups").get(1).path("progress_reference").asText().contains("busy-cycle"), held.toString());
            assertTrue(held.path("cgroups").get(0).path("progress").isNull(), "a service has no progress");
            String bad = run("tune", "--config", config.toString(), "freq", "0", "9GHz");
            assertTrue(bad.contains("9GHz is outside freq-domain 0 (policy0) range 800 MHz..3.401 GHz"), bad);
            String released = cli("tune", "--config", config.toString(), "release", "quota", "batch");
            assertTrue(released.contains("released cgroup 1 CPU_MAX_USEC"), released);

            String status = cli("status", "--config", config.toString());
            assertTrue(status.contains("policy core=static:core=0.3"), status);
            assertTrue(status.matches("(?s).*batch\\s+best-effort.*"), status);
            assertTrue(status.contains("work of batch: against the highest busy-cycle rate of the last five minutes"), status);

            assertEquals(0, d.term(30_000), d.log());
            assertEquals(List.of(), TreeSnapshot.of(tree).diff(before), "SIGTERM restores every file byte for byte\n" + d.log());
            assertFalse(Files.exists(dir.resolve("run/state.json")), "nothing left to restore");

            Thread.sleep(300); // the last datagrams reach the drain
            synchronized (msgs) {
                msgs = List.copyOf(msgs);
            }
            assertTrue(msgs.getFirst().startsWith("READY=1\nSTATUS="), msgs.toString());
            assertTrue(msgs.stream().anyMatch(m -> m.equals("WATCHDOG=1")), "watchdog pings at half of WATCHDOG_USEC: " + msgs);
            assertTrue(msgs.getLast().startsWith("STOPPING=1\nSTATUS=stopping (SIGTERM)"), msgs.toString());
        }
        String journal = Files.readString(dir.resolve("journal.jsonl"));
        assertTrue(journal.contains("\"event\":\"start\""), journal);
        assertTrue(journal.contains("\"event\":\"override\""), journal);
        assertTrue(journal.contains("\"event\":\"stop\"") && journal.contains("changed by someone else, 0 failed"), journal);
    }

    static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return out + err.toString();
    }

    @Test
    void killNineThenRestartRestoresEveryOriginalBeforeAnythingElse() throws Exception {
        TreeSnapshot before = TreeSnapshot.of(tree);
        try (DaemonProcess d = DaemonProcess.start(dir.resolve("crash.log"), socket, Map.of(), MAIN, config.toString())) {
            d.awaitStatus(x -> ticks(x) >= 5, 60_000);
            d.kill9();
        }
        assertNotEquals(List.of(), TreeSnapshot.of(tree).diff(before), "kill -9 leaves cohort's writes behind");
        assertTrue(Files.exists(dir.resolve("run/state.json")), "and the state file with the originals");
        assertTrue(Files.exists(socket), "a stale socket file too");

        // the restart holds every knob at its highest level: after its crash restore it has nothing to write
        Path quiet = writeConfig("performance", "performance", "performance");
        try (DaemonProcess d = DaemonProcess.start(dir.resolve("restart.log"), socket, Map.of(), MAIN, quiet.toString())) {
            JsonNode s = d.awaitStatus(x -> ticks(x) >= 3, 60_000);
            assertEquals(List.of(), TreeSnapshot.of(tree).diff(before), "the restart restored every original first\n" + d.log());
            assertTrue(d.log().contains("left by a run that did not stop cleanly: restoring them first"), d.log());
            assertEquals(0, s.path("ticks").path("fallbacks").asLong());
            assertEquals(0, d.term(30_000), d.log());
        }
        assertEquals(List.of(), TreeSnapshot.of(tree).diff(before));
        assertFalse(Files.exists(dir.resolve("run/state.json")));
    }

    @Test
    void aDryRunDecidesAndJournalsButLeavesTheTreeByteForByte() throws Exception {
        TreeSnapshot before = TreeSnapshot.of(tree);
        try (DaemonProcess d = DaemonProcess.start(dir.resolve("dry.log"), socket, Map.of(), MAIN, config.toString(), "--dry-run")) {
            JsonNode s = d.awaitStatus(x -> ticks(x) >= 5, 60_000);
            assertTrue(s.path("daemon").path("dry_run").asBoolean());
            assertEquals(List.of(), TreeSnapshot.of(tree).diff(before), "a dry run writes nothing while it runs");
            String refused = run("tune", "--config", config.toString(), "weight", "batch", "50");
            assertTrue(refused.contains("dry run and writes nothing"), refused);
            assertEquals(0, d.term(30_000), d.log());
        }
        assertEquals(List.of(), TreeSnapshot.of(tree).diff(before));
        assertFalse(Files.exists(dir.resolve("run/state.json")));
        String journal = Files.readString(dir.resolve("journal.jsonl"));
        assertTrue(journal.contains("\"outcome\":\"DRY_RUN\""), "the real decision path ran and journalled what it would write");
        assertTrue(journal.contains("\"dry_run\":true"));
    }
}
