package dev.cohort.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.Control;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package power limit (RAPL PL1) through powercap on fake trees: written as the long-term constraint's window and
 * limit, saved first and restored as found, refused where a host has no such constraint, and never "removed".
 */
class PowerLimitFlowTest {
    @TempDir
    Path root;
    @TempDir
    Path state;

    private LinuxPlatform platform() {
        var o = new LinuxPlatform.Options(root, List.of(
                new ManagedCgroup("web", "system.slice/web.service", CgroupRole.LATENCY_CRITICAL, 5000, 0.99),
                ManagedCgroup.bestEffort("batch", "batch.slice")), "cohort-be", CpuSet.empty(),
                new StateFile(state.resolve("state.json")), false);
        return new LinuxPlatform(o, new FakeKernel());
    }

    private Path zone(int pkg) {
        return root.resolve("sys/class/powercap/intel-rapl:" + pkg);
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p).strip();
    }

    @Test
    void pl1IsWrittenSavedAndRestoredOnAnIntelServer() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(8, 2));
        var p = platform();
        assertTrue(p.capabilities().has(Control.POWER_LIMIT_UW), p.capabilities().control(Control.POWER_LIMIT_UW).reason());
        assertTrue(p.currentSettings().contains(new Setting.PowerLimitUw(1, 65_000_000, 27_983_872)), "PL1 as found");

        List<SettingResult> r = p.apply(new ControlPlan(1, List.of(new Setting.PowerLimitUw(1, 40_000_000, 1_000_000))));
        assertEquals(SettingResult.Outcome.APPLIED, r.getFirst().outcome(), r.getFirst().detail());
        assertEquals("40000000", read(zone(1).resolve("constraint_0_power_limit_uw")));
        assertEquals("1000000", read(zone(1).resolve("constraint_0_time_window_us")));
        assertEquals("65000000", read(zone(0).resolve("constraint_0_power_limit_uw")), "package 0 untouched");
        assertEquals("90000000", read(zone(1).resolve("constraint_1_power_limit_uw")), "PL2 untouched");

        List<SavedKnob> saved = new StateFile(state.resolve("state.json")).load();
        assertEquals(List.of(zone(1).resolve("constraint_0_time_window_us").toString(),
                zone(1).resolve("constraint_0_power_limit_uw").toString()), saved.stream().map(SavedKnob::id).toList(),
                "the window is saved and written first");
        assertEquals("65000000", saved.get(1).original());

        RestoreReport rep = p.restore(false);
        assertTrue(rep.ok(), rep.toString());
        assertEquals("65000000", read(zone(1).resolve("constraint_0_power_limit_uw")));
        assertEquals("27983872", read(zone(1).resolve("constraint_0_time_window_us")));
        assertFalse(Files.exists(state.resolve("state.json")), "nothing left to restore");
    }

    @Test
    void aLimitOfNoneIsRefusedWithoutTouchingAnything() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(8, 1));
        var p = platform();
        SettingResult r = p.apply(new ControlPlan(1, List.of(new Setting.PowerLimitUw(0, -1, 1_000_000)))).getFirst();
        assertEquals(SettingResult.Outcome.FAILED, r.outcome());
        assertTrue(r.detail().contains("must be positive"), r.detail());
        assertEquals("65000000", read(zone(0).resolve("constraint_0_power_limit_uw")));
        assertTrue(p.keeper().saved().isEmpty(), "nothing saved, nothing written");
    }

    @Test
    void hostsWithoutAPackageLimitSayWhy() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(8, 1).withRapl(false));
        var p = platform();
        assertFalse(p.capabilities().has(Control.POWER_LIMIT_UW));
        SettingResult r = p.apply(new ControlPlan(1, List.of(new Setting.PowerLimitUw(0, 30_000_000, 1_000_000)))).getFirst();
        assertEquals(SettingResult.Outcome.UNSUPPORTED, r.outcome());
        assertTrue(r.detail().contains("no RAPL"), r.detail());
    }

    @Test
    void amdZonesHaveNoLimitToWrite() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(8, 1).withAmd(true));
        var p = platform();
        assertFalse(p.capabilities().has(Control.POWER_LIMIT_UW), "AMD's powercap zones carry no constraints");
        SettingResult r = p.apply(new ControlPlan(1, List.of(new Setting.PowerLimitUw(0, 30_000_000, 1_000_000)))).getFirst();
        assertEquals(SettingResult.Outcome.UNSUPPORTED, r.outcome(), r.detail());
    }
}
