package dev.cohort.policy;

import dev.cohort.learn.onnx.AgentNetwork;
import dev.cohort.learn.onnx.OnnxExporter;
import java.nio.file.Path;
import java.util.List;

/** Writes real, verified model files for tests (freshly initialised networks: no training needed to test the runtime). */
public final class TestModels {
    private TestModels() {
    }

    /** A provenance as the trainer would stamp it. */
    public static ModelProvenance provenance() {
        return ModelProvenance.here(List.of("steady-web", "batch-mix"), 42, "abc1234", "cohort test");
    }

    /** The contract of a role's network trained here on this build's spec. */
    public static ModelContract contract(Role r, int levels, int hidden) {
        return ModelContract.forSpec(new ActionSpace(r, levels), ModelContract.Decoding.ARGMAX, hidden, "qmix", provenance());
    }

    /** An initialised network of the reference shape for a role. */
    public static AgentNetwork network(Role r, int levels, boolean recurrent, long seed) {
        return AgentNetwork.initialised(ObservationSpec.of(r).size(), 16, levels, recurrent, seed);
    }

    /** Exports {@code <dir>/<role>.onnx} (small hidden width 16 to keep tests fast). */
    public static Path export(Path dir, Role r, int levels, boolean recurrent, long seed) {
        AgentNetwork net = network(r, levels, recurrent, seed);
        Path f = dir.resolve(r.id() + ".onnx");
        OnnxExporter.export(net, contract(r, levels, net.hiddenSize()), f, List.of());
        return f;
    }
}
