package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.platform.linux.faketree.TreeSpec;
import dev.cohort.service.status.StatusClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A defect found while building {@link CrashSafetyTest}, fixed since; this test failed on the code before the fix.
 *
 * <p>A value the kernel rounds (an Intel MBA percentage goes up to the next step of {@code bandwidth_gran}, as the kernel
 * documents) is announced as requested (55), but the knob then holds the rounded value (60). {@link
 * dev.cohort.platform.KnobKeeper#write} records the applied value right after the read-back, yet a crash between the
 * write and that save leaves only the announcement of 55: the restart's restore finds 60, a value it takes for someone
 * else's, and leaves cohort's own write on the host.
 */
class RoundedWriteCrashTest {
    @TempDir
    Path dir;

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void aCrashRightAfterAWriteTheKernelRoundedIsStillRestoredAsCohorts() throws Exception {
        Path tree = FakeTreeWriter.write(dir.resolve("tree"), TreeSpec.intelServer(8, 2).withDriver(TreeSpec.Driver.ACPI_CPUFREQ));
        Path socket = dir.resolve("run/cohort.sock");
        Path cfg = FakeHostConfig.write(dir, tree, "performance", "performance", "performance", -1);
        TreeSnapshot before = TreeSnapshot.of(tree);

        // the daemon (fake kernel) takes an operator's MBA 55% through cohort tune and is killed right after that write
        try (DaemonProcess d = DaemonProcess.start(List.of("-Dcohort.test.crashAt=after-write:2"), dir.resolve("run.log"), socket,
                Map.of(), CrashSafetyTest.DAEMON, cfg.toString())) {
            d.awaitStatus(x -> x.path("ticks").path("count").asLong() >= 2, 60_000);
            JsonNode req = StatusClient.request("tune");
            ((com.fasterxml.jackson.databind.node.ObjectNode) req).put("kind", "mba").put("target", "0").put("value", "55%");
            try {
                StatusClient.ask(socket, req);
            } catch (RuntimeException halted) {
                // the daemon halts at the crash point before it answers
            }
            assertEquals(137, d.await(60_000), d.log());
        }
        String rounded = Files.readString(dir.resolve("run/state.json"));
        String schemata;
        try (var s = Files.walk(tree.resolve("sys/fs/resctrl"))) {
            schemata = s.filter(p -> p.getFileName().toString().equals("schemata") && !p.getParent().equals(tree.resolve("sys/fs/resctrl")))
                    .map(p -> p + ": " + read(p)).toList().toString();
        }
        assertEquals(true, schemata.contains("MB:0= 60"), "the kernel rounded 55 up to 60: " + schemata + "\n" + rounded);

        // the restart restores what the crash left: both the group and its MB value are cohort's
        try (DaemonProcess d = DaemonProcess.start(dir.resolve("restart.log"), socket, Map.of(), CrashSafetyTest.DAEMON, cfg.toString())) {
            d.awaitStatus(x -> x.path("ticks").path("count").asLong() >= 3, 60_000);
            assertEquals(0, d.term(30_000), d.log());
            assertEquals(List.of(), TreeSnapshot.of(tree).diff(before), "state file after the crash:\n" + rounded + "\nrestart:\n" + d.log());
        }
    }
}
