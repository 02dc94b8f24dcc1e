package dev.cohort.learn.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Each scenario's pairs are sized by their own recent root mean square, once it has enough of them. */
class PairScalerTest {
    /** One core agent branched in each of {@code n} steps with gap {@code g}. */
    private static Pairs pairs(int n, float g) {
        Pairs p = Pairs.none(3);
        p.tried()[0] = new int[n];
        p.gap()[0] = new float[n];
        java.util.Arrays.fill(p.gap()[0], g);
        return p;
    }

    @Test
    void eachScenarioIsSizedByItsOwnPairsOnceItHasEnough() throws Exception {
        PairScaler s = new PairScaler();
        assertEquals(1, s.unit(0), "before any pair, pairs pass as they are");
        s.observe(0, pairs(PairScaler.MIN_OWN, 2f));
        assertEquals(2, s.unit(0), 1e-9, "the root mean square of its gaps");
        s.observe(1, pairs(PairScaler.MIN_OWN - 1, -0.002f));
        assertEquals(s.unit(1), Math.sqrt((PairScaler.MIN_OWN * 4 + (PairScaler.MIN_OWN - 1) * 4e-6) / (2 * PairScaler.MIN_OWN - 1)),
                1e-6, "until it has its own, the run's stands in");
        Pairs one = pairs(1, -0.002f);
        one.tried()[0][0] = -1; // not branched: not counted
        s.observe(1, one);
        s.observe(1, pairs(1, -0.002f));
        assertEquals(0.002, s.unit(1), 1e-9, "then its own, a thousand times smaller than the loud scenario's");
        assertEquals(2, s.unit(0), 1e-9);
        assertEquals(Math.sqrt((PairScaler.MIN_OWN * 4 + PairScaler.MIN_OWN * 4e-6) / (2 * PairScaler.MIN_OWN)), s.unit(7),
                1e-6, "a scenario never seen takes the run's");
        assertEquals(0.5, s.episodeUnit(0.5), 0, "an episode's own size");
        assertEquals(1e-3 * Math.sqrt((PairScaler.MIN_OWN * 4 + PairScaler.MIN_OWN * 4e-6) / (2 * PairScaler.MIN_OWN)), s.episodeUnit(0),
                1e-9, "never under a thousandth of the run's");
        var bytes = new java.io.ByteArrayOutputStream();
        s.write(new java.io.DataOutputStream(bytes));
        PairScaler back = PairScaler.readFrom(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
        for (int sc = 0; sc < 3; sc++) {
            assertEquals(s.unit(sc), back.unit(sc), 0, "scenario " + sc + " after a checkpoint");
        }
    }
}
