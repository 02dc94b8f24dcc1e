package dev.cohort.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CpuSet;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bounded parsers: every kernel form reads, every garbled one says what is wrong (and never allocates for it). */
class KernelTextTest {
    @Test
    void cpuListsInBothKernelForms() {
        assertEquals(CpuSet.of(0, 1, 2, 3, 5, 8, 9, 10, 11), KernelText.cpus("0-3,5,8-11\n", 64));
        assertEquals(CpuSet.of(0, 1, 2, 3), KernelText.cpus("0 1 2 3\n", 64), "cpufreq's related_cpus");
        assertEquals(CpuSet.empty(), KernelText.cpus("\n", 64), "offline may be just a newline");
    }

    @Test
    void garbledCpuListsSayWhatIsWrong() {
        for (String[] c : new String[][]{{"abc", "not a number"}, {"0-", "not a number"}, {"3-1", "runs backwards"},
                {"0-2000000000", "beyond the last possible CPU 63"}, {"-1", "outside"}, {"99999999999999999999", "not a number"},
                {"4", "beyond the last possible CPU 3"}, {"\u0000\u00ff", "'??' is not a number"}}) {
            var e = assertThrows(IllegalArgumentException.class, () -> KernelText.cpus(c[0], c[0].equals("4") ? 4 : 64), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
        }
        var huge = assertThrows(IllegalArgumentException.class, () -> KernelText.cpus("0-2000000000", Integer.MAX_VALUE));
        assertTrue(huge.getMessage().contains("beyond the last possible CPU 8191"), huge.getMessage());
    }

    @Test
    void numbersAreBoundedAndTheReaderNamesTheFile() {
        assertEquals(800000, KernelText.number(" 800000\n", 1, Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> KernelText.number("-5", 0, 10));
        assertThrows(IllegalArgumentException.class, () -> KernelText.number("", 0, 10));
        var e = KernelText.bad(Path.of("/sys/x/energy_uj"), "'abc' is not a number");
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("read /sys/x/energy_uj: 'abc' is not a number", e.getMessage());
        assertEquals("'a?b...'", KernelText.shown("a\u0001b" + "x".repeat(40)).replace("x", ""));
    }

    @Test
    void hexMasksOnlyOf32BitChunks() {
        assertEquals(CpuSet.range(0, 40), SysTopology.parseHexMask("ff,ffffffff\n"));
        assertThrows(IllegalArgumentException.class, () -> SysTopology.parseHexMask("xyz"));
        assertThrows(IllegalArgumentException.class, () -> SysTopology.parseHexMask("1ffffffff"));
    }
}
