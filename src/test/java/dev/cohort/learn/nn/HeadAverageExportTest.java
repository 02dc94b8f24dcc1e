package dev.cohort.learn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.cohort.learn.algo.Engines;
import dev.cohort.learn.onnx.OnnxExporter;
import dev.cohort.policy.DjlRuntime;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Role;
import dev.cohort.policy.TestModels;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An AWRQ agent of K heads exports with the one-head contract: the file holds the heads' averaged weights, and ONNX
 * Runtime gives, within the exporter's tolerance, what the acting forward (the heads' outputs averaged in plain Java)
 * and the training forward (the same in the engine) give.
 */
@Tag("pytorch")
class HeadAverageExportTest {
    @TempDir
    Path dir;

    @Test
    void theExportedHeadAverageActsAsTheActingForward() {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        int k = 5;
        var net = new AgentNet("core", ObservationSpec.CORE.size(), 16, 11, true, k);
        ParamSet ps = new ParamSet();
        net.init(ps, new SplittableRandom(3));
        assertEquals(k * 11, ps.shape("core.head.weight")[0], "one Linear to K × levels");
        assertEquals(11, net.toExport(ps).outputs(), "the export serves one value per level");
        try (NDManager m = Engines.manager()) {
            var report = OnnxExporter.export(net.toExport(ps), TestModels.contract(Role.CORE, 11, 16), dir.resolve("core.onnx"),
                    List.of(new TrainingForward(net, ps, m), new ActingForward(net, ps)));
            assertEquals(List.of("java", "djl-pytorch", "training", "acting"),
                    report.checks().stream().map(OnnxExporter.Check::reference).toList());
            report.checks().forEach(c -> assertTrue(c.maxAbsDiff() <= OnnxExporter.TOLERANCE, c.toString()));
        }
    }

    @Test
    void theServedValueIsTheMeanOfTheHeads() {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        int k = 4;
        var net = new AgentNet("memory", ObservationSpec.MEMORY.size(), 8, 10, true, k);
        ParamSet ps = new ParamSet();
        net.init(ps, new SplittableRandom(5));
        float[] obs = new float[2 * net.inputs()];
        var rng = new SplittableRandom(9);
        for (int i = 0; i < obs.length; i++) {
            obs[i] = (float) rng.nextDouble(-1, 1);
        }
        float[] acting = new float[2 * 10];
        new AgentForward(net, ps).step(obs, 2, new float[2 * 8], acting);
        try (NDManager m = Engines.manager()) {
            Bound b = new Bound(m, ps, false);
            NDArray heads = net.forwardHeads(b, m.create(obs, new Shape(2, 1, net.inputs())), m.zeros(new Shape(2, 8)));
            assertEquals(new Shape(2, 1, k, 10), heads.getShape());
            float[] h = heads.toFloatArray();
            double spread = 0;
            for (int a = 0; a < 2; a++) {
                for (int l = 0; l < 10; l++) {
                    double mean = 0;
                    for (int e = 0; e < k; e++) {
                        mean += h[(a * k + e) * 10 + l];
                    }
                    mean /= k;
                    spread = Math.max(spread, Math.abs(h[(a * k) * 10 + l] - mean));
                    assertEquals(mean, acting[a * 10 + l], 1e-5, "agent " + a + " level " + l);
                }
            }
            assertTrue(spread > 1e-3, "the heads differ, so the average is not any one head");
        }
    }
}
