package dev.cohort.harness;

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
    void pairingFindsASteadyDifferenceUnderALargeSpreadBetweenSeeds() {
        double[] rival = {100, 300, 500, 700, 900};
        double[] policy = {95, 296, 494, 695, 896};
        assertEquals(1, PairedDifference.of(policy, rival, true).better(), "lower by ~5 every seed: better");
        assertEquals(-1, PairedDifference.of(policy, rival, false).better(), "where higher is better: worse");
        assertTrue(Stats.of(policy).halfWidth() > 100, "unpaired, the spread would hide it");
        assertEquals(0, PairedDifference.of(new double[]{1, 3, 2}, new double[]{2, 2, 2}, true).better(), "inside the noise: a tie");
        assertEquals(0, PairedDifference.of(new double[]{1}, new double[]{5}, true).better(), "one seed decides nothing");
    }
}
