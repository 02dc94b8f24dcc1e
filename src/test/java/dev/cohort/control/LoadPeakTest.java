package dev.cohort.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LoadPeakTest {

    @Test
    void aBurstIsRememberedForHalfAMinuteAndASteadyLoadIsItsOwnPeak() {
        var p = new LoadPeak(2, 30);
        double steady = 0;
        double quiet = 0;
        for (long t = 1; t <= 300; t++) { // 30 s of 0.1 s ticks
            p.begin(t);
            steady = p.peak(0, 0.4, 0.1);
            quiet = p.peak(1, t <= 10 ? 0.9 : 0.1, 0.1); // one second on, then 29 s off
        }
        assertEquals(0.4, steady, 1e-12);
        // 29 s after the burst: 0.1 + 0.8 * exp(-29 / 30)
        assertEquals(0.1 + 0.8 * Math.exp(-29.0 / 30), quiet, 1e-9);
        for (long t = 301; t <= 2700; t++) {
            p.begin(t);
            quiet = p.peak(1, 0.1, 0.1);
        }
        assertEquals(0.1, quiet, 0.001, "four minutes on, the burst is forgotten");
    }

    @Test
    void aRisingLoadIsItsPeakAtOnce() {
        var p = new LoadPeak(1, 30);
        p.begin(1);
        p.peak(0, 0.2, 0.1);
        p.begin(2);
        assertEquals(0.7, p.peak(0, 0.7, 0.1), 0);
    }

    @Test
    void aTickEncodedTwiceFadesOnceAndARestoredStateReplaysTheSamePeaks() {
        var once = new LoadPeak(1, 2);
        var twice = new LoadPeak(1, 2);
        for (long t = 1; t <= 30; t++) {
            double x = t % 7 == 0 ? 0.9 : 0.2;
            once.begin(t);
            double a = once.peak(0, x, 0.1);
            twice.begin(t);
            twice.peak(0, x, 0.1);
            twice.begin(t);
            assertEquals(a, twice.peak(0, x, 0.1), 0, "tick " + t);
        }
        LoadPeak.Saved saved = once.save();
        double[] first = new double[10];
        for (int i = 0; i < 10; i++) {
            once.begin(31 + i);
            first[i] = once.peak(0, i * 0.05, 0.1);
        }
        once.restore(saved);
        for (int i = 0; i < 10; i++) {
            once.begin(31 + i);
            assertEquals(first[i], once.peak(0, i * 0.05, 0.1), 0, "tick " + (31 + i));
        }
    }
}
