package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.cli.Main;
import dev.cohort.platform.SavedKnob;
import dev.cohort.platform.StateFile;
import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.platform.linux.faketree.TreeSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A defect found while building {@link CrashSafetyTest}, fixed since (a line after a torn one now starts on a line of
 * its own); these tests failed on the code before the fix.
 *
 * <p>The intents sidecar promises that "a torn last line (a crash mid-append) is ignored: that value was never written".
 * But the next {@link StateFile#intend} appends right after the torn bytes, so its line is glued to them and the reader
 * skips the whole line: an announcement that was fsynced before its write is lost. A crash between that write and the
 * next full save then makes cohort's own value look like someone else's, and every restore leaves it on the host.
 */
class TornIntentLineTest {
    @TempDir
    Path dir;

    /** The store alone: an announcement appended after a torn line must still be read back. */
    @Test
    void anAnnouncementAppendedAfterATornLineIsNotLost() throws Exception {
        StateFile f = new StateFile(dir.resolve("run/state.json"));
        SavedKnob k = new SavedKnob("/h/sys/devices/system/cpu/cpufreq/policy0/scaling_max_freq", "d", "3401000", "800000",
                List.of(), null);
        f.save(List.of(k));
        // a crash (power loss) in the middle of appending an announcement: no newline at the end
        Files.writeString(f.intentsPath(), "{\"id\":\"" + k.id() + "\",\"va", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        f.intend(List.of(k), k, "2000000");
        assertEquals(List.of("2000000"), f.load().getFirst().intended(),
                "the announcement was fsynced before the write it announces; sidecar:\n" + Files.readString(f.intentsPath()));
    }

    /**
     * End to end: after a torn announcement, {@code cohort tune} (no daemon running) announces and writes 2 GHz and is
     * killed before its flush; {@code cohort restore} must put the original back, since 2 GHz is cohort's own value.
     */
    @Test
    void aTuneKilledAfterItsWriteIsRestoredEvenAfterATornAnnouncement() throws Exception {
        Path tree = FakeTreeWriter.write(dir.resolve("tree"), TreeSpec.intelServer(8, 2).withDriver(TreeSpec.Driver.ACPI_CPUFREQ));
        Path policy0 = tree.resolve("sys/devices/system/cpu/cpufreq/policy0/scaling_max_freq");
        Path cfg = dir.resolve("cohort.yaml");
        Files.writeString(cfg, """
                host:
                  root: %s
                  perf: false
                paths:
                  state_dir: %s
                  journal: %s
                metrics:
                  enabled: false
                """.formatted(tree, dir.resolve("run"), dir.resolve("journal.jsonl")));
        // what a crashed daemon leaves: policy0 at cohort's 800000, its original saved, an announcement torn by the crash
        Files.writeString(policy0, "800000\n");
        StateFile state = new StateFile(dir.resolve("run/state.json"));
        SavedKnob k = new SavedKnob(policy0.toAbsolutePath().toString(), "cpufreq policy0 maximum frequency (kHz)", "3401000",
                "800000", List.of(), null);
        state.save(List.of(k));
        Files.writeString(state.intentsPath(), "{\"id\":\"" + k.id() + "\",\"va", StandardOpenOption.CREATE, StandardOpenOption.APPEND);

        try (DaemonProcess tune = DaemonProcess.start(List.of("-Dcohort.test.crashAt=after-write:1"), dir.resolve("tune.log"),
                dir.resolve("run/cohort.sock"), Map.of(), "dev.cohort.cli.Main", "tune", "--config", cfg.toString(), "freq", "0", "2GHz")) {
            assertEquals(137, tune.await(60_000), tune.log());
        }
        assertEquals("2000000", Files.readString(policy0).strip(), "cohort tune wrote 2 GHz, then was killed");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "restore", "--config", cfg.toString());
        assertEquals(0, code, out + "" + err);
        assertEquals("3401000", Files.readString(policy0).strip(), "2 GHz is cohort's own (announced) value, so the original goes "
                + "back; instead:\n" + out + err);
        assertTrue(out.toString().contains("1 restored"), out.toString());
    }
}
