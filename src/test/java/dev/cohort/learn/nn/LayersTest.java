package dev.cohort.learn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.cohort.learn.algo.Engines;
import dev.cohort.policy.DjlRuntime;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Gradients through numbers stay right when the garbage collector runs between the forward and the backward pass.
 * DJL's {@code div(Number)} and its kind release the number's memory on return while autograd keeps it for the backward
 * pass; freed and reused, it turned AWRQ's gradients into 10¹⁰–10³⁵ or NaN now and then, under a normal loss.
 * {@link Layers#constant} keeps the number alive; this test fills freed direct memory with 10³⁰ before backward.
 */
@Tag("pytorch")
class LayersTest {
    private static void churn() {
        List<ByteBuffer> junk = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            System.gc();
            for (int i = 0; i < 20_000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
                b.putFloat(0, 1e30f);
                junk.add(b);
            }
        }
        junk.clear();
    }

    @Test
    void gradientsThroughConstantsAndTheHuberLossSurviveACollection() {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        try (NDManager m = Engines.manager()) {
            for (int rep = 0; rep < 5; rep++) {
                try (NDManager sub = m.newSubManager()) {
                    NDArray x = sub.create(new float[]{-3f, -0.2f, 0.1f, 2.5f});
                    x.setRequiresGradient(true);
                    float[] grad;
                    try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
                        NDArray y = x.div(Layers.constant(x, 4)).add(Layers.tdLoss(x, 1.0)).mul(Layers.constant(x, 2));
                        churn();
                        gc.backward(y.sum());
                        grad = x.getGradient().toFloatArray();
                    }
                    // d/dx 2·(x/4 + huber(x)), huber = x² within 1, 2|x| − 1 beyond: 0.5 + 2·(2x or 2·sign(x))
                    float[] want = {0.5f - 4f, 0.5f - 0.8f, 0.5f + 0.4f, 0.5f + 4f};
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(want[i], grad[i], 1e-5, "rep " + rep + " element " + i);
                    }
                }
            }
        }
    }
}
