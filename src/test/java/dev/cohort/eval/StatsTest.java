package dev.cohort.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CohortException;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void meanAndStudentTInterval() {
        // n = 5, mean 3, sd = sqrt(2.5); t(0.975, 4) = 2.776 -> half-width 2.776 * 1.5811 / sqrt(5) = 1.963
        Stats s = Stats.of(new double[]{1, 2, 3, 4, 5});
        assertEquals(3.0, s.mean(), 1e-12);
        assertEquals(1.963, s.halfWidth(), 1e-3);
        assertEquals(1, s.min());
        assertEquals(5, s.max());
    }

    @Test
    void ignoresMissingValuesAndHandlesTinySamples() {
        assertEquals(0, Stats.of(new double[]{7, Double.NaN}).halfWidth());
        assertEquals(0, Stats.of(new double[]{Double.NaN}).n());
        assertEquals("n/a", Stats.of(new double[0]).format());
    }

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
