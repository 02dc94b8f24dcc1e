package dev.cohort.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cohort.platform.CpuSet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-cgroup counting degrades as a whole, with a reason naming the cgroup and the fix, and never throws. */
class CgroupPerfCountersTest {
    @TempDir
    Path dir;

    @Test
    void aCgroupWithoutAPerfEventHierarchyStopsAllCountingAndIsNamed() {
        try (CgroupPerfCounters c = CgroupPerfCounters.open(PerfCounters.CPU_CLOCK, List.of(
                new CgroupPerfCounters.Target("batch", null)), CpuSet.of(0))) {
            assertFalse(c.counting());
            assertTrue(c.unavailableReason().startsWith("batch: no hierarchy carries the perf_event controller"),
                    c.unavailableReason());
            long[] out = {7};
            c.read(out);
            assertEquals(7, out[0], "nothing counts, nothing is overwritten");
        }
    }

    @Test
    void aMissingDirectoryIsNamedWithItsErrno() {
        assumeTrue(PerfEventNative.unavailableReason() == null, "no native access: " + PerfEventNative.unavailableReason());
        Path gone = dir.resolve("system.slice/batch.service");
        try (CgroupPerfCounters c = CgroupPerfCounters.open(PerfCounters.INSTRUCTIONS, List.of(
                new CgroupPerfCounters.Target("batch", gone)), CpuSet.of(0))) {
            assertFalse(c.counting());
            assertEquals("batch: cannot open " + gone + ": ENOENT (No such file or directory)", c.unavailableReason());
        }
    }

    @Test
    void reasonsNameTheFix() {
        var t = new CgroupPerfCounters.Target("batch", Path.of("/sys/fs/cgroup/batch"));
        assertTrue(CgroupPerfCounters.reason(PerfCounters.INSTRUCTIONS, t, Errno.EACCES).contains("CAP_PERFMON"));
        assertTrue(CgroupPerfCounters.reason(PerfCounters.INSTRUCTIONS, t, Errno.EMFILE).contains("LimitNOFILE"));
        assertTrue(CgroupPerfCounters.reason(PerfCounters.INSTRUCTIONS, t, Errno.ENOENT).contains("not on this PMU"));
        assertTrue(CgroupPerfCounters.reason(PerfCounters.INSTRUCTIONS, t, Errno.EBADF).contains("/sys/fs/cgroup/batch"));
    }

    @Test
    void noCgroupsMeansNothingToCount() {
        try (CgroupPerfCounters c = CgroupPerfCounters.open(PerfCounters.INSTRUCTIONS, List.of(), CpuSet.of(0))) {
            assertFalse(c.counting());
            assertEquals("no managed cgroups to count", c.unavailableReason());
        }
    }
}
