package dev.cohort.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuSetTest {
    @Test
    void parsesKernelCpulists() {
        assertEquals(CpuSet.of(0), CpuSet.parse("0\n"));
        assertEquals(CpuSet.of(0, 1, 2, 3, 5, 8, 9, 10, 11), CpuSet.parse("0-3,5,8-11"));
        assertTrue(CpuSet.parse("\n").isEmpty(), "an empty offline file is the empty set");
    }

    @Test
    void printsRangesAsTheKernelDoes() {
        assertEquals("0-3,5,8-11", CpuSet.of(11, 10, 9, 8, 5, 3, 2, 1, 0).toString());
        assertEquals("", CpuSet.empty().toString());
    }

    @Test
    void rejectsGarbageWithTheOffendingPart() {
        var e = assertThrows(IllegalArgumentException.class, () -> CpuSet.parse("0-3,x"));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CpuSet.parse("5-2"));
    }
}
