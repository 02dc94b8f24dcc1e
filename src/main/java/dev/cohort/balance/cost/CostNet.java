package dev.cohort.balance.cost;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.cohort.learn.nn.Bound;
import dev.cohort.learn.nn.Layers;
import dev.cohort.learn.nn.ParamSet;
import java.util.SplittableRandom;

/**
 * The estimator's network, a small multi-task MMoE-DCN after MaRCA's AutoBucket, applied to each row (frequency
 * domain) alone:
 * <pre>
 *   x0 = Dense(features → d)                               the input dense
 *   x_{l+1} = x0 ⊙ (W_l·x_l + b_l) + x_l,  l < cross        DCN-v2 cross layers
 *   deep = ReLU(Dense(d → h1)) → ReLU(Dense(h1 → h2))       the deep tower
 *   z = [x_cross, deep]
 *   experts = ReLU(Dense(z → experts·units))                every expert at once
 *   per task k: g_k = softmax(Dense_k(z → experts)); m_k = Σ_e g_k,e·expert_e
 *               y_k = Dense(ReLU(Dense(m_k → tower)) → 1)
 * </pre>
 * Tasks: the row's power (normalised, {@link CostFeatures#OUTPUTS}) and its utilisation over the next tick. The
 * gate mixture is written as {@code ((g·R) ⊙ experts)·S} with constant 0/1 matrices R (repeat each gate over its
 * expert's units) and S (sum the experts unit by unit), so that training and the ONNX graph share one formula of
 * plain products. Parameters live in a {@link ParamSet}; {@link #forward} runs them on DJL's engine.
 *
 * @param dense       width of the input dense and of the cross layers
 * @param cross       number of cross layers
 * @param deep1       first deep layer
 * @param deep2       second deep layer
 * @param experts     number of experts
 * @param expertUnits width of each expert
 * @param tower       hidden width of each task's head
 */
public record CostNet(int dense, int cross, int deep1, int deep2, int experts, int expertUnits, int tower) {
    /** Number of tasks (heads and gates). */
    public static final int TASKS = CostFeatures.OUTPUTS.size();

    public CostNet {
        if (dense < 1 || cross < 0 || deep1 < 1 || deep2 < 1 || experts < 1 || expertUnits < 1 || tower < 1) {
            throw new IllegalArgumentException("cost network sizes must be positive (cross layers at least 0)");
        }
    }

    /** Width of the shared representation the experts and gates read. */
    public int shared() {
        return dense + deep2;
    }

    /** Fresh parameters, PyTorch's default initialisation. */
    public ParamSet init(long seed) {
        var rng = new SplittableRandom(seed);
        ParamSet p = new ParamSet();
        int in = CostFeatures.WIDTH;
        p.linear("in", in, dense, rng);
        for (int l = 0; l < cross; l++) {
            p.linear("cross" + l, dense, dense, rng);
        }
        p.linear("deep0", dense, deep1, rng);
        p.linear("deep1", deep1, deep2, rng);
        p.linear("experts", shared(), experts * expertUnits, rng);
        for (int k = 0; k < TASKS; k++) {
            p.linear("gate" + k, shared(), experts, rng);
            p.linear("tower" + k + ".0", expertUnits, tower, rng);
            p.linear("tower" + k + ".1", tower, 1, rng);
        }
        return p;
    }

    /** The repeat matrix R {@code [experts, experts·units]}: R[e, e·units + j] = 1. */
    public float[] repeat() {
        float[] r = new float[experts * experts * expertUnits];
        for (int e = 0; e < experts; e++) {
            for (int j = 0; j < expertUnits; j++) {
                r[e * experts * expertUnits + e * expertUnits + j] = 1;
            }
        }
        return r;
    }

    /** The sum matrix S {@code [experts·units, units]}: S[e·units + j, j] = 1. */
    public float[] sum() {
        float[] s = new float[experts * expertUnits * expertUnits];
        for (int e = 0; e < experts; e++) {
            for (int j = 0; j < expertUnits; j++) {
                s[(e * expertUnits + j) * expertUnits + j] = 1;
            }
        }
        return s;
    }

    /**
     * The forward pass on the engine.
     *
     * @param x {@code [rows, features]}
     * @return {@code [rows, TASKS]}
     */
    public NDArray forward(Bound b, NDManager m, NDArray x) {
        NDArray x0 = Layers.linear(b, "in", x);
        NDArray xl = x0;
        for (int l = 0; l < cross; l++) {
            xl = x0.mul(Layers.linear(b, "cross" + l, xl)).add(xl);
        }
        NDArray deep = Layers.linearRelu(b, "deep1", Layers.linearRelu(b, "deep0", x0));
        NDArray z = xl.concat(deep, 1);
        NDArray ex = Layers.linearRelu(b, "experts", z);
        NDArray rep = m.create(repeat(), new Shape(experts, (long) experts * expertUnits));
        NDArray sum = m.create(sum(), new Shape((long) experts * expertUnits, expertUnits));
        NDList outs = new NDList();
        for (int k = 0; k < TASKS; k++) {
            NDArray g = Layers.linear(b, "gate" + k, z).softmax(1);
            NDArray mix = g.matMul(rep).mul(ex).matMul(sum);
            NDArray h = Activation.relu(Layers.linear(b, "tower" + k + ".0", mix));
            outs.add(Layers.linear(b, "tower" + k + ".1", h));
        }
        return NDArrays.concat(outs, 1);
    }

    /** One line for docs and the model's description. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "MMoE-DCN: Dense(%d→%d), %d cross layers, deep [%d, %d], %d experts × %d,"
                + " %d softmax gates, %d heads [%d → 1]", CostFeatures.WIDTH, dense, cross, deep1, deep2, experts, expertUnits,
                TASKS, TASKS, tower);
    }
}
