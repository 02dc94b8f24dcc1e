package dev.cohort.learn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.learn.nn.ParamSet;
import org.junit.jupiter.api.Test;

class WeightAverageTest {
    private static ParamSet weights(float... v) {
        return new ParamSet().add("w", new int[]{v.length}, v);
    }

    @Test
    void theFirstUpdateStartsTheAverageAndLaterOnesMoveItByTau() {
        WeightAverage avg = new WeightAverage(0.25, null);
        ParamSet w = weights(4, -8);
        assertTrue(avg.snapshot(w).sameAs(w), "before any update the latest weights are judged");
        avg.update(w);
        avg.update(weights(8, 0));
        assertArrayEquals(new float[]{5, -6}, avg.snapshot(w).get("w"), 1e-6f); // 0.75·(4, −8) + 0.25·(8, 0)
        avg.update(weights(5, -6));
        assertArrayEquals(new float[]{5, -6}, avg.state().get("w"), 1e-6f, "an average of equal weights stays put");
    }

    @Test
    void aSnapshotIsACopyAndACheckpointedAverageContinues() {
        WeightAverage avg = new WeightAverage(0.5, weights(2, 2));
        ParamSet before = avg.snapshot(weights(0, 0));
        avg.update(weights(4, 0));
        assertArrayEquals(new float[]{2, 2}, before.get("w"), "a snapshot does not move with the average");
        assertArrayEquals(new float[]{3, 1}, avg.state().get("w"), 1e-6f);
    }

    @Test
    void aRateOutsideItsRangeIsRefusedWithTheKey() {
        var e = assertThrows(IllegalArgumentException.class, () -> new WeightAverage(0, null));
        assertEquals("learning.weightAverage must be in (0, 1], got 0.0", e.getMessage());
    }
}
