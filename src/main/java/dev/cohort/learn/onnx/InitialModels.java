package dev.cohort.learn.onnx;

import dev.cohort.policy.ActionSpace;
import dev.cohort.policy.ModelContract;
import dev.cohort.policy.ModelProvenance;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.OnnxPolicy;
import dev.cohort.policy.Role;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Freshly initialised, untrained agent networks of the reference shape, exported with their contract (algorithm
 * {@code untrained}): real model files for benchmarks and smoke tests of the runtime. They decide nothing useful.
 */
public final class InitialModels {
    private InitialModels() {
    }

    /**
     * Writes {@code <dir>/<role>.onnx} for every role in {@code spaces}, each verified like any export.
     *
     * @param recurrent true for Linear → ReLU → GRU cell → Linear, false for the two-layer MLP
     * @param hidden    hidden width (e.g. {@link AgentNetwork#DEFAULT_HIDDEN})
     * @param seed      initialisation seed
     */
    public static void write(Path dir, Map<Role, ActionSpace> spaces, boolean recurrent, int hidden, long seed) {
        for (var e : spaces.entrySet()) {
            Role r = e.getKey();
            AgentNetwork net = AgentNetwork.initialised(ObservationSpec.of(r).size(), hidden, e.getValue().levels(),
                    recurrent, seed + r.ordinal());
            var prov = ModelProvenance.here(List.of(), seed, ModelProvenance.UNKNOWN, "cohort InitialModels");
            var contract = ModelContract.forSpec(e.getValue(), ModelContract.Decoding.ARGMAX, net.hiddenSize(), "untrained", prov);
            OnnxExporter.export(net, contract, dir.resolve(OnnxPolicy.fileName(r)), List.of());
        }
    }
}
