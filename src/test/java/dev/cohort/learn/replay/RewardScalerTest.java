package dev.cohort.learn.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Rewards standardised over the run, or per training scenario by that scenario's recent statistics. */
class RewardScalerTest {

    private static float[] draws(SplittableRandom rng, int n, double mean, double sd) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (mean + sd * rng.nextGaussian());
        }
        return out;
    }

    /** Mean and deviation of {@code rs} as scenario {@code sc}'s rewards are scaled. */
    private static double[] scaled(RewardScaler s, int sc, float[] rs) {
        double sum = 0;
        double sq = 0;
        for (float r : rs) {
            double v = s.scale(sc, r);
            sum += v;
            sq += v * v;
        }
        double mean = sum / rs.length;
        return new double[]{mean, Math.sqrt(sq / rs.length - mean * mean)};
    }

    @Test
    void eachScenarioIsStandardisedByItsOwnRewards() {
        var rng = new SplittableRandom(1);
        var run = new RewardScaler(true);
        var per = new RewardScaler(true).perScenario();
        float[] quiet = draws(rng, 5000, -0.4, 0.015);   // steady: levels differ by thousandths
        float[] loud = draws(rng, 5000, -2, 10);         // colocation: misses cost thirty
        for (RewardScaler s : new RewardScaler[]{run, per}) {
            s.observe(0, quiet);
            s.observe(1, loud);
        }
        double[] q = scaled(per, 0, quiet);
        double[] l = scaled(per, 1, loud);
        assertEquals(0, q[0], 0.1);
        assertEquals(1, q[1], 0.1, "the quiet scenario's rewards at unit scale");
        assertEquals(0, l[0], 0.1);
        assertEquals(1, l[1], 0.1);
        assertTrue(scaled(run, 0, quiet)[1] < 0.01, "over the run the quiet scenario's rewards all but vanish");
        assertEquals(run.unit(), per.unit(), 1e-12, "the run's statistics are kept beside");
        assertEquals(per.unit(), per.unit(5), 1e-12, "a scenario not seen yet is scaled by the run's");
    }

    @Test
    void aScenarioForgetsTheScaleOfTheExploringPolicy() {
        var rng = new SplittableRandom(2);
        var per = new RewardScaler(true).perScenario();
        per.observe(0, draws(rng, 40_000, -20, 10));     // exploring: misses everywhere
        per.observe(0, draws(rng, 150_000, -0.4, 0.1));  // trained: none
        assertEquals(0.1, per.unit(0), 0.02, "the scenario's unit is its recent rewards' deviation");
        assertTrue(per.unit() > 3, "the run's statistics keep the whole run: " + per.unit());
    }

    @Test
    void aScenarioUsesTheRunsStatisticsUntilItHasEnoughOfItsOwn() {
        var rng = new SplittableRandom(3);
        var per = new RewardScaler(true).perScenario();
        per.observe(0, draws(rng, 5000, 0, 5));
        per.observe(1, draws(rng, 50, 0, 0.01));
        assertEquals(per.unit(), per.unit(1), 1e-12, "50 rewards are too few to scale by");
        per.observe(1, draws(rng, 100, 0, 0.01));
        assertEquals(0.01, per.unit(1), 0.003);
    }

    @Test
    void theScenariosStatisticsSurviveACheckpoint() throws Exception {
        var rng = new SplittableRandom(4);
        var per = new RewardScaler(true).perScenario();
        per.observe(0, draws(rng, 500, 1, 2));
        per.observe(2, draws(rng, 500, -1, 0.5));
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            per.write(out);
            per.writeScenarios(out);
        }
        RewardScaler back;
        try (var in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = RewardScaler.readFrom(in);
            back.readScenarios(in);
        }
        assertTrue(back.scaledPerScenario());
        for (int sc = 0; sc < 3; sc++) {
            assertEquals(per.scale(sc, 0.7f), back.scale(sc, 0.7f), "scenario " + sc);
        }
        var plain = new RewardScaler(true);
        var bytes2 = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes2)) {
            plain.writeScenarios(out);
        }
        var again = new RewardScaler(true);
        try (var in = new DataInputStream(new ByteArrayInputStream(bytes2.toByteArray()))) {
            again.readScenarios(in);
        }
        assertTrue(!again.scaledPerScenario(), "a run's scaler stays a run's");
    }
}
