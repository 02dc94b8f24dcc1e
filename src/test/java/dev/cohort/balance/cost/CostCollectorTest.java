package dev.cohort.balance.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.sim.Scenarios;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the estimator learns from: candidates branched from one state, and each tick's own observation. */
class CostCollectorTest {
    private static final int UTIL = CostFeatures.NAMES.indexOf("util");

    @Test
    void eachSampleKeepsTheStateBeforeAndTheTicksOwnObservation() {
        List<CostSample> samples = CostCollector.rollout(Scenarios.resolve("colocation"), 11, "random",
                new CostCollector.Spec(40, 5, 3), 0);
        assertEquals(8 * 3, samples.size(), "ticks 5, 10, ..., 40, three candidates each");
        int differ = 0;
        for (CostSample s : samples) {
            assertEquals(s.rows().length, s.intervalRows().length);
            for (int r = 0; r < s.rowCount(); r++) {
                // the interval rows read the counters of the tick the power was measured over: its utilisation is the
                // utilisation the sample records for that tick
                assertEquals(s.utilNext()[r], s.intervalRows()[r * CostFeatures.WIDTH + UTIL], 1e-6, "row " + r);
            }
            if (!Arrays.equals(s.rows(), s.intervalRows())) {
                differ++;
            }
        }
        assertEquals(samples.size(), differ, "the state before a tick is not the tick's own observation");
        // candidates of one state share the state before and differ in what they then observed
        CostSample a = samples.get(0);
        CostSample b = samples.get(1);
        assertEquals(a.group(), b.group());
        assertFalse(Arrays.equals(a.intervalRows(), b.intervalRows()));
        assertTrue(a.interval().utilNext().length == a.rowCount() && Float.isNaN(a.interval().utilNext()[0]),
                "the interval model has no utilisation task");
    }
}
