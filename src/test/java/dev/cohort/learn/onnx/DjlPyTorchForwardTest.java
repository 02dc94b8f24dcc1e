package dev.cohort.learn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cohort.policy.DjlRuntime;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Role;
import dev.cohort.policy.TestModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported graph against the training engine: with DJL's PyTorch engine in the JVM (libtorch, on the test class
 * path as in training builds) every export also runs DJL's own Linear and GRU blocks with the same weights, and ONNX
 * Runtime must agree within 1e-5. The first run in a fresh DJL cache unpacks libtorch (~430 MB, once).
 */
@Tag("pytorch")
class DjlPyTorchForwardTest {
    @TempDir
    Path dir;

    @Test
    void onnxRuntimeMatchesDjlPyTorchForRecurrentAndFeedForwardAgents() {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        for (boolean recurrent : new boolean[]{true, false}) {
            AgentNetwork net = AgentNetwork.initialised(ObservationSpec.CORE.size(), AgentNetwork.DEFAULT_HIDDEN, 11, recurrent, 3);
            var report = OnnxExporter.export(net, TestModels.contract(Role.CORE, 11, net.hiddenSize()),
                    dir.resolve("core.onnx"), List.of());
            assertEquals(List.of("java", "djl-pytorch"), report.checks().stream().map(OnnxExporter.Check::reference).toList());
            System.out.println((recurrent ? "recurrent" : "feed-forward") + " export: " + report.checks());
            for (var c : report.checks()) {
                assertTrue(c.maxAbsDiff() <= OnnxExporter.TOLERANCE, c.toString());
                assertTrue(c.values() > 0, c.toString());
            }
        }
    }

    @Test
    void djlsGruBlockSteppedOnceIsPyTorchsGruCellAsWrittenInJava() {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        AgentNetwork net = AgentNetwork.initialised(ObservationSpec.MEMORY.size(), 24, 10, true, 8);
        var rng = new java.util.SplittableRandom(4);
        int agents = 6;
        float[] hJava = new float[agents * 24];
        float[] hTorch = hJava.clone();
        try (var torch = new DjlPyTorchForward(net)) {
            var java = new JavaForward(net);
            for (int t = 0; t < 5; t++) {
                float[] obs = new float[agents * net.inputs()];
                for (int i = 0; i < obs.length; i++) {
                    obs[i] = (float) rng.nextDouble(-1, 1);
                }
                var a = java.forward(obs, agents, hJava);
                var b = torch.forward(obs, agents, hTorch);
                org.junit.jupiter.api.Assertions.assertArrayEquals(a.values(), b.values(), 1e-5f, "tick " + t);
                org.junit.jupiter.api.Assertions.assertArrayEquals(a.stateOut(), b.stateOut(), 1e-5f, "tick " + t);
                hJava = a.stateOut();
                hTorch = b.stateOut();
            }
        }
    }
}
