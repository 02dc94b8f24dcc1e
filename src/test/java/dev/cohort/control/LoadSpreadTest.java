package dev.cohort.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoadSpreadTest {

    @Test
    void steadyLoadHasNoSpreadAndBurstsHaveTheirSwing() {
        var s = new LoadSpread(2, 5);
        double steady = 0;
        double bursty = 0;
        for (long t = 1; t <= 300; t++) {
            s.begin(t);
            steady = s.spread(0, 0.4, 0.1);
            bursty = s.spread(1, t % 20 < 5 ? 0.9 : 0.2, 0.1); // 0.5 s on, 1.5 s off
        }
        assertEquals(0, steady, 1e-12);
        // the square wave's standard deviation is 0.7 * sqrt(0.25 * 0.75) = 0.303
        assertEquals(0.303, bursty, 0.04);
    }

    @Test
    void aTickEncodedTwiceMovesTheWindowOnce() {
        var once = new LoadSpread(1, 5);
        var twice = new LoadSpread(1, 5);
        double a = 0;
        double b = 0;
        for (long t = 1; t <= 50; t++) {
            double x = t % 3 == 0 ? 0.8 : 0.3;
            once.begin(t);
            a = once.spread(0, x, 0.1);
            twice.begin(t);
            twice.spread(0, x, 0.1);
            twice.begin(t);
            b = twice.spread(0, x, 0.1);
        }
        assertEquals(a, b, 0);
        assertTrue(a > 0.1, "spread " + a);
    }

    @Test
    void aRestoredStateReplaysTheSameSpreads() {
        var s = new LoadSpread(1, 2);
        for (long t = 1; t <= 10; t++) {
            s.begin(t);
            s.spread(0, t % 2 == 0 ? 1 : 0, 0.1);
        }
        LoadSpread.Saved saved = s.save();
        double[] first = new double[10];
        for (int i = 0; i < 10; i++) {
            s.begin(11 + i);
            first[i] = s.spread(0, i * 0.1, 0.1);
        }
        s.restore(saved);
        for (int i = 0; i < 10; i++) {
            s.begin(11 + i);
            assertEquals(first[i], s.spread(0, i * 0.1, 0.1), 0, "tick " + (11 + i));
        }
    }
}
