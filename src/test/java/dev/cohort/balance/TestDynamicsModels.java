package dev.cohort.balance;

import java.nio.file.Path;
import java.util.Map;

/**
 * Dynamics models with a known answer, for tests: power falls linearly in the model's λ input u = ln(1 + λ) / ln(1 +
 * λ_max), by {@code slope} of TDP per unit of u, at a chosen step and λ range.
 */
public final class TestDynamicsModels {
    private TestDynamicsModels() {
    }

    /** {@link #exact(Path, long, double, float)} with a slope of 0.1. */
    public static Path exact(Path dir, long windowMillis, double lambdaMax) {
        return exact(dir, windowMillis, lambdaMax, 0.1f);
    }

    /**
     * Writes {@code dir/dynamics.onnx} trained (by construction) at {@code windowMillis} over λ in 0..{@code lambdaMax}:
     * Δpower = −slope·(u_next − u) as relu(u − u_next) and relu(u_next − u) weighted ±slope.
     */
    public static Path exact(Path dir, long windowMillis, double lambdaMax, float slope) {
        return exact(dir, windowMillis, lambdaMax, slope, PricedPolicy.DEFAULT_PRICE_SCALE);
    }

    /** {@link #exact(Path, long, double, float)} recording that its rollouts priced the policy at {@code priceScale}. */
    public static Path exact(Path dir, long windowMillis, double lambdaMax, float slope, double priceScale) {
        Path file = dir.resolve(DynamicsModel.FILE);
        DynamicsNet net = DynamicsNet.create(2, 1, new java.util.Random(1));
        float[] w0 = net.params().get("dyn.fc0.weight");
        java.util.Arrays.fill(w0, 0);
        int in = DynamicsFeatures.IN;
        int lambda = DynamicsFeatures.INPUTS.indexOf("lambda");
        int next = DynamicsFeatures.INPUTS.indexOf("next_lambda");
        w0[lambda] = 1;
        w0[next] = -1;
        w0[in + lambda] = -1;
        w0[in + next] = 1;
        java.util.Arrays.fill(net.params().get("dyn.fc0.bias"), 0);
        float[] w1 = net.params().get("dyn.out.weight");
        java.util.Arrays.fill(w1, 0);
        w1[0] = slope;
        w1[1] = -slope;
        java.util.Arrays.fill(net.params().get("dyn.out.bias"), 0);
        DynamicsTraining.write(net, file, DynamicsMetadata.of(windowMillis, lambdaMax, priceScale, Map.of()));
        return file;
    }
}
