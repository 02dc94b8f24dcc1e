package dev.cohort.learn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CohortException;
import dev.cohort.policy.ActionSpace;
import dev.cohort.policy.ModelContract;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.OnnxRoleModel;
import dev.cohort.policy.Role;
import dev.cohort.policy.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxExporterTest {
    @TempDir
    Path dir;

    static AgentNetwork reference(Role r, int levels, boolean recurrent) {
        return AgentNetwork.initialised(ObservationSpec.of(r).size(), AgentNetwork.DEFAULT_HIDDEN, levels, recurrent, 7);
    }

    @Test
    void aRecurrentAgentOfTheReferenceShapeRunsInOnnxRuntimeAsInJava() {
        AgentNetwork net = reference(Role.CORE, 11, true);
        ModelContract c = TestModels.contract(Role.CORE, 11, 64);
        var report = OnnxExporter.export(net, c, dir.resolve("core.onnx"), List.of());
        assertEquals("java", report.checks().getFirst().reference());
        assertTrue(report.checks().getFirst().maxAbsDiff() <= OnnxExporter.TOLERANCE, report.toString());
        assertEquals(7L * 4 * (11 + 64), report.checks().getFirst().values(), "4 ticks of 7 agents: outputs and state");
        try (var m = OnnxRoleModel.open(dir.resolve("core.onnx"))) {
            assertEquals(c, m.contract());
        }
    }

    @Test
    void aFeedForwardAgentExportsToo() {
        AgentNetwork net = reference(Role.QUOTA, 10, false);
        var report = OnnxExporter.export(net, TestModels.contract(Role.QUOTA, 10, 0), dir.resolve("quota.onnx"), List.of());
        assertTrue(report.checks().getFirst().maxAbsDiff() <= OnnxExporter.TOLERANCE, report.toString());
        assertTrue(Files.isRegularFile(dir.resolve("quota.onnx")));
    }

    @Test
    void anExportThatDiffersFromTheTrainingForwardFailsAndLeavesNoFile() throws IOException {
        AgentNetwork net = reference(Role.MEMORY, 10, true);
        float[] w = net.head().weight().clone();
        w[3] += 1e-3f; // the "training engine" holds slightly different weights than were exported
        var drifted = new AgentNetwork(net.encoder(), net.gru(),
                new DenseLayer(net.head().inputs(), net.head().outputs(), w, net.head().bias()));
        Path f = dir.resolve("memory.onnx");
        var e = assertThrows(CohortException.class, () -> OnnxExporter.export(net,
                TestModels.contract(Role.MEMORY, 10, 64), f, List.of(new JavaForward(drifted))));
        assertTrue(e.getMessage().startsWith("export check failed: ONNX Runtime's 'q'"), e.getMessage());
        assertFalse(Files.exists(f));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "no temporary file left behind");
        }
    }

    /** A float's last digits, not a wrong graph: large Q-values are held to the same relative precision as small ones. */
    @Test
    void theToleranceIsAbsoluteUpToOneAndRelativeAbove() {
        assertEquals(1e-5, OnnxExporter.allowedDifference(0.3));
        assertEquals(1e-5, OnnxExporter.allowedDifference(-1));
        assertEquals(2.8e-4, OnnxExporter.allowedDifference(-28), 1e-12);
    }

    @Test
    void aNetworkThatDoesNotFitItsContractIsNotExported() {
        AgentNetwork net = reference(Role.CORE, 5, true);
        var e = assertThrows(CohortException.class, () -> OnnxExporter.export(net,
                TestModels.contract(Role.CORE, 11, 64), dir.resolve("core.onnx"), List.of()));
        assertEquals("cannot export the core agent: the network gives 5 outputs, the contract's argmax over 11 levels needs 11",
                e.getMessage());
        AgentNetwork mlp = reference(Role.CORE, 11, false);
        e = assertThrows(CohortException.class, () -> OnnxExporter.export(mlp,
                TestModels.contract(Role.CORE, 11, 64), dir.resolve("core.onnx"), List.of()));
        assertTrue(e.getMessage().contains("hidden state (0) differs from the contract's (64)"), e.getMessage());
    }

    @Test
    void aContinuousActorExportsOneFractionPerAgent() {
        AgentNetwork net = reference(Role.CORE, 1, false);
        ModelContract c = ModelContract.forSpec(new ActionSpace(Role.CORE, 11), ModelContract.Decoding.FRACTION, 0,
                "maddpg", TestModels.provenance());
        OnnxExporter.export(net, c, dir.resolve("core.onnx"), List.of());
        try (var m = OnnxRoleModel.open(dir.resolve("core.onnx"))) {
            assertEquals(1, m.contract().outputWidth());
            assertEquals("action", m.contract().outputName());
            assertEquals(3, m.infer(new float[3 * dev.cohort.policy.ObservationSpec.CORE.size()], 3, new float[0]).values().length);
        }
    }
}
