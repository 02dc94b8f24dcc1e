package dev.cohort.learn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

class AdamTest {
    @Test
    void firstStepMovesEachWeightByTheLearningRateAgainstItsGradient() {
        ParamSet p = new ParamSet().add("w", new int[]{3}, new float[]{1, 1, 1});
        Adam adam = new Adam(p, 0.1, 0);
        adam.step(p, new float[][]{{2, -3, 0}});
        // bias-corrected first step: m̂/√v̂ = sign(g)
        assertArrayEquals(new float[]{0.9f, 1.1f, 1f}, p.get("w"), 1e-6f);
    }

    @Test
    void aScaledRateMovesTheWeightsByThatShareOfIt() {
        ParamSet p = new ParamSet().add("w", new int[]{2}, new float[]{1, 1});
        Adam adam = new Adam(p, 0.1, 0);
        adam.scaleLearningRate(0.25);
        adam.step(p, new float[][]{{2, -3}});
        assertArrayEquals(new float[]{0.975f, 1.025f}, p.get("w"), 1e-6f, "a quarter of the first step's 0.1");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> adam.scaleLearningRate(0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> adam.scaleLearningRate(1.5));
    }

    @Test
    void clipsTheGlobalNormSkipsNonFiniteGradientsAndLeavesUnreachedTensors() {
        ParamSet p = new ParamSet().add("a", new int[]{1}, new float[]{0}).add("b", new int[]{1}, new float[]{5});
        Adam adam = new Adam(p, 0.1, 1.0);
        assertEquals(3.0, adam.step(p, new float[][]{{3}, null}), 1e-9, "the norm before clipping, over the tensors reached");
        assertEquals(-0.1f, p.get("a")[0], 1e-6f, "clipped to norm 1, the first step still moves by the learning rate");
        assertEquals(5f, p.get("b")[0], "no gradient, no change");
        float a = p.get("a")[0];
        assertTrue(Double.isNaN(adam.step(p, new float[][]{{Float.NaN}, {1}})));
        assertEquals(a, p.get("a")[0]);
        assertEquals(5f, p.get("b")[0], "a step with a NaN anywhere is not applied at all");
        assertEquals(1, adam.skipped());
    }

    @Test
    void stateRoundTripsSoAResumedStepEqualsAContinuedOne() throws Exception {
        ParamSet p = new ParamSet().linear("l", 3, 2, new java.util.SplittableRandom(1));
        Adam adam = new Adam(p, 0.01, 10);
        float[][] g = {{1, 2, 3, 4, 5, 6}, {1, -1}};
        adam.step(p, g);
        var bytes = new ByteArrayOutputStream();
        adam.write(new DataOutputStream(bytes));
        ParamSet q = p.copy();
        Adam resumed = new Adam(q, 0.01, 10);
        resumed.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        adam.step(p, g);
        resumed.step(q, g);
        assertTrue(p.sameAs(q));
    }
}
