package dev.cohort.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.ControlPlan;
import dev.cohort.platform.CpuSet;
import dev.cohort.platform.RestoreReport;
import dev.cohort.platform.SavedKnob;
import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;
import dev.cohort.platform.StateFile;
import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.platform.linux.faketree.TreeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole save/restore path of the Linux backend on a fake tree whose writes behave like the kernel's
 * ({@link FakeKernel}): save before the first write (atomically, in a state file) -> write -> clamp detected ->
 * restore in reverse -> changed-by-other reported -> second restore harmless -> crash (a new platform from
 * the state file) restores.
 */
class RestoreFlowTest {
    @TempDir
    Path root;
    @TempDir
    Path state;
    FakeKernel kernel;
    Path policy0;
    Path web;
    Path batch;
    Path resctrl;

    @BeforeEach
    void tree() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(8, 2).withDriver(TreeSpec.Driver.ACPI_CPUFREQ));
        kernel = new FakeKernel();
        policy0 = root.resolve("sys/devices/system/cpu/cpufreq/policy0");
        web = root.resolve("sys/fs/cgroup/system.slice/web.service");
        batch = root.resolve("sys/fs/cgroup/batch.slice");
        resctrl = root.resolve("sys/fs/resctrl");
    }

    LinuxPlatform platform(CpuSet reserved) {
        var o = new LinuxPlatform.Options(root, List.of(
                new ManagedCgroup("web", "system.slice/web.service", CgroupRole.LATENCY_CRITICAL, 5000, 0.99),
                ManagedCgroup.bestEffort("batch", "batch.slice")), "cohort-be", reserved,
                new StateFile(state.resolve("state.json")), false);
        return new LinuxPlatform(o, kernel);
    }

    static String read(Path p) throws IOException {
        return Files.readString(p).strip();
    }

    @Test
    void saveWriteClampRestoreChangedByOtherAgainAndCrash() throws IOException {
        var p = platform(CpuSet.empty());
        List<SettingResult> r = p.apply(new ControlPlan(1, List.of(
                new Setting.FreqMaxKhz(0, 2500000),
                new Setting.CpuMaxUsec(1, 30000, 100000),
                new Setting.CpuWeight(1, 50),
                new Setting.MbaPercent(1, 15),
                new Setting.CpuWeight(0, 20000))));

        assertEquals(SettingResult.Outcome.CLAMPED, r.get(0).outcome());
        assertEquals("requested 2500000, applied 2000000", r.get(0).detail(), "the table driver resolves to 2000000 kHz");
        assertEquals(SettingResult.Outcome.APPLIED, r.get(1).outcome());
        assertEquals("30000 100000", read(batch.resolve("cpu.max")));
        assertEquals(SettingResult.Outcome.APPLIED, r.get(2).outcome());
        assertEquals(SettingResult.Outcome.CLAMPED, r.get(3).outcome());
        assertEquals("requested 15, applied 20", r.get(3).detail(), "Intel MB rounds up to bandwidth_gran");
        assertTrue(Files.isDirectory(resctrl.resolve("cohort-be")), "the best-effort group was created");
        assertEquals(SettingResult.Outcome.FAILED, r.get(4).outcome());
        assertTrue(r.get(4).detail().contains("ERANGE") && r.get(4).detail().contains("cpu.weight takes 1..10000"), r.get(4).detail());

        // originals are on disk, keyed by absolute path (and #fragment for one schemata domain)
        List<SavedKnob> saved = new StateFile(state.resolve("state.json")).load();
        assertEquals(List.of(policy0.resolve("scaling_max_freq").toString(), batch.resolve("cpu.max").toString(),
                batch.resolve("cpu.weight").toString(), resctrl.resolve("cohort-be") + "#group",
                resctrl.resolve("cohort-be/schemata") + "#MB:1", web.resolve("cpu.weight").toString()),
                saved.stream().map(SavedKnob::id).toList());
        assertEquals("3401000", saved.get(0).original());
        assertEquals("absent", saved.get(3).original());
        assertEquals("100", saved.get(4).original(), "the new group's schemata started at the default 100");

        // someone else changes a knob cohort wrote
        Files.writeString(batch.resolve("cpu.weight"), "300\n");

        RestoreReport rep = p.restore(false);
        assertEquals(List.of(web.resolve("cpu.weight").toString(), resctrl.resolve("cohort-be/schemata") + "#MB:1",
                resctrl.resolve("cohort-be") + "#group", batch.resolve("cpu.weight").toString(),
                batch.resolve("cpu.max").toString(), policy0.resolve("scaling_max_freq").toString()),
                rep.entries().stream().map(RestoreReport.Entry::id).toList(), "reverse order of first write");
        assertEquals(RestoreReport.Outcome.ALREADY_ORIGINAL, rep.entries().get(0).outcome(), "its write failed, so it never changed");
        assertEquals(RestoreReport.Outcome.RESTORED, rep.entries().get(1).outcome());
        assertEquals(RestoreReport.Outcome.RESTORED, rep.entries().get(2).outcome());
        assertEquals(RestoreReport.Outcome.CHANGED_BY_OTHER, rep.entries().get(3).outcome());
        assertTrue(rep.entries().get(3).detail().contains("found '300'"), rep.entries().get(3).detail());
        assertEquals("300", read(batch.resolve("cpu.weight")), "not blindly overwritten");
        assertEquals("max 100000", read(batch.resolve("cpu.max")));
        assertEquals("3401000", read(policy0.resolve("scaling_max_freq")));
        assertFalse(Files.exists(resctrl.resolve("cohort-be")), "the group cohort created is gone again");
        assertTrue(rep.ok());

        // the knob left to someone else stays in the state file, marked left, until the operator decides
        List<SavedKnob> kept = new StateFile(state.resolve("state.json")).load();
        assertEquals(List.of(batch.resolve("cpu.weight").toString()), kept.stream().map(SavedKnob::id).toList());
        assertEquals("300", kept.getFirst().left());
        assertEquals("100", kept.getFirst().original());

        RestoreReport again = p.restore(false);
        assertEquals(1, again.entries().size(), "restoring twice touches nothing: the left knob is reported again");
        assertEquals(RestoreReport.Outcome.CHANGED_BY_OTHER, again.entries().getFirst().outcome());
        assertEquals("300", read(batch.resolve("cpu.weight")));

        RestoreReport forced = p.restore(true);
        assertEquals(RestoreReport.Outcome.RESTORED, forced.entries().getFirst().outcome(), "--force writes the original");
        assertEquals("100", read(batch.resolve("cpu.weight")));
        assertFalse(Files.exists(state.resolve("state.json")), "nothing left to restore");
    }

    @Test
    void aCrashedRunIsRestoredByTheNextOneFromTheStateFile() throws IOException {
        var crashed = platform(CpuSet.empty());
        crashed.apply(new ControlPlan(1, List.of(new Setting.FreqMaxKhz(1, 2000000), new Setting.CpuMaxUsec(1, 50000, 100000),
                new Setting.MbaPercent(0, 40))));
        assertEquals("2000000", read(root.resolve("sys/devices/system/cpu/cpufreq/policy4/scaling_max_freq")));
        // no restore: the process died. A new one starts from the same state file.
        var next = platform(CpuSet.empty());
        assertEquals(4, next.keeper().saved().size());
        RestoreReport rep = next.restore(false);
        assertTrue(rep.ok(), rep.toString());
        assertEquals(4, rep.count(RestoreReport.Outcome.RESTORED));
        assertEquals("3401000", read(root.resolve("sys/devices/system/cpu/cpufreq/policy4/scaling_max_freq")));
        assertEquals("max 100000", read(batch.resolve("cpu.max")));
        assertFalse(Files.exists(resctrl.resolve("cohort-be")));
    }

    @Test
    void aFailedRestoreIsReportedAndTheRestContinues() throws IOException {
        var p = platform(CpuSet.empty());
        p.apply(new ControlPlan(1, List.of(new Setting.FreqMaxKhz(0, 2000000), new Setting.CpuMaxUsec(0, 50000, 100000),
                new Setting.CpuWeight(1, 200))));
        kernel.failWrites.put(web.resolve("cpu.max"), Errno.EACCES);
        RestoreReport rep = p.restore(false);
        assertFalse(rep.ok());
        assertEquals(1, rep.count(RestoreReport.Outcome.FAILED));
        assertEquals(2, rep.count(RestoreReport.Outcome.RESTORED), "knobs before and after the failed one are restored");
        assertTrue(rep.entries().get(1).detail().contains("EACCES"), rep.entries().get(1).detail());
        kernel.failWrites.clear();
        RestoreReport retry = p.restore(false);
        assertEquals(1, retry.count(RestoreReport.Outcome.RESTORED), "the failed knob stayed saved for the next attempt");
        assertEquals("max 100000", read(web.resolve("cpu.max")));
    }

    @Test
    void minAndMaxAreWrittenInAnOrderThatNeverPutsMinAboveMax() throws IOException {
        var p = platform(CpuSet.empty());
        Path min = policy0.resolve("scaling_min_freq");
        Path max = policy0.resolve("scaling_max_freq");
        var lower = p.apply(new ControlPlan(1, List.of(new Setting.FreqMaxKhz(0, 2000000))));
        assertEquals(SettingResult.Outcome.APPLIED, lower.getFirst().outcome());
        var raise = p.apply(new ControlPlan(2, List.of(new Setting.FreqMinKhz(0, 2800000), new Setting.FreqMaxKhz(0, 3400000))));
        assertEquals(List.of(SettingResult.Outcome.APPLIED, SettingResult.Outcome.APPLIED), raise.stream().map(SettingResult::outcome).toList(),
                "max is raised before min, so min is not clamped to the old max");
        assertEquals("2800000", read(min));
        var maxBelowMin = p.apply(new ControlPlan(3, List.of(new Setting.FreqMaxKhz(0, 2000000))));
        assertEquals(SettingResult.Outcome.APPLIED, maxBelowMin.getFirst().outcome());
        assertEquals("2000000", read(min), "min was lowered first");
        var both = p.apply(new ControlPlan(4, List.of(new Setting.FreqMaxKhz(0, 3401000), new Setting.FreqMinKhz(0, 800000))));
        assertEquals(List.of(SettingResult.Outcome.APPLIED, SettingResult.Outcome.APPLIED), both.stream().map(SettingResult::outcome).toList(),
                "results come back in plan order");
        assertEquals("3401000", read(max));
        var minAboveMax = p.apply(new ControlPlan(5, List.of(new Setting.FreqMaxKhz(0, 2000000), new Setting.FreqMinKhz(0, 2800000))));
        assertEquals(SettingResult.Outcome.CLAMPED, minAboveMax.get(1).outcome(), "a min above the max is clamped by the kernel and reported");
        assertTrue(p.restore(false).ok());
        assertEquals("800000", read(min));
        assertEquals("3401000", read(max));
    }

    @Test
    void offlinePolicyReservedCpusAndMissingControls() {
        var p = platform(CpuSet.of(0));
        kernel.failWrites.put(root.resolve("sys/devices/system/cpu/cpufreq/policy4/scaling_max_freq"), Errno.EBUSY);
        var r = p.apply(new ControlPlan(1, List.of(new Setting.FreqMaxKhz(0, 2000000), new Setting.FreqMaxKhz(1, 2000000),
                new Setting.FreqMaxKhz(9, 2000000), new Setting.Epp(1, "power"), new Setting.CpuMaxUsec(7, 1000, 100000),
                new Setting.CpuMaxUsec(1, 500, 100000))));
        assertEquals(SettingResult.Outcome.UNSUPPORTED, r.get(0).outcome());
        assertTrue(r.get(0).detail().contains("reserved CPUs 0"), r.get(0).detail());
        assertEquals(SettingResult.Outcome.FAILED, r.get(1).outcome());
        assertTrue(r.get(1).detail().contains("EBUSY") && r.get(1).detail().contains("all its CPUs are offline"), r.get(1).detail());
        assertTrue(r.get(2).detail().contains("no freq-domain 9"), r.get(2).detail());
        assertTrue(r.get(3).detail().contains("no energy_performance_preference"), r.get(3).detail());
        assertTrue(r.get(4).detail().contains("no managed cgroup 7"), r.get(4).detail());
        assertEquals(SettingResult.Outcome.FAILED, r.get(5).outcome());
        assertTrue(r.get(5).detail().contains("EINVAL") && r.get(5).detail().contains("at least 1000 µs"), r.get(5).detail());
    }
}
