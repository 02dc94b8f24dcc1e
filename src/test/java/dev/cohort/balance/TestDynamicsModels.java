package dev.cohort.balance;

import java.nio.file.Path;
import java.util.Map;

/**
 * Dynamics models with a known answer, for tests outside this package (the daemon's {@code mpc}): the network of
 * {@code MpcBalancerTest.exactModel}, power falling by 0.1 of TDP per unit of λ, at a chosen step and λ range.
 */
public final class TestDynamicsModels {
    private TestDynamicsModels() {
    }

    /** Writes {@code dir/dynamics.onnx} trained (by construction) at {@code windowMillis} over λ in 0..{@code lambdaMax}. */
    public static Path exact(Path dir, long windowMillis, double lambdaMax) {
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
        w1[0] = 0.1f;
        w1[1] = -0.1f;
        java.util.Arrays.fill(net.params().get("dyn.out.bias"), 0);
        DynamicsTraining.write(net, file, DynamicsMetadata.of(windowMillis, lambdaMax, Map.of()));
        return file;
    }
}
