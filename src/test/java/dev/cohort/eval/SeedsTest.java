package dev.cohort.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CohortException;
import org.junit.jupiter.api.Test;

class SeedsTest {
    @Test
    void seedListsAsUsersWriteThem() {
        assertArrayEquals(new long[]{1, 2, 3}, Seeds.parse("3"));
        assertArrayEquals(new long[]{101, 102, 103}, Seeds.parse("101-103"));
        assertArrayEquals(new long[]{7, 9}, Seeds.parse("7,9"));
        var e = assertThrows(CohortException.class, () -> Seeds.parse("five"));
        assertTrue(e.getMessage().contains("101-105"), e.getMessage());
        assertThrows(CohortException.class, () -> Seeds.parse("0"));
    }
}
