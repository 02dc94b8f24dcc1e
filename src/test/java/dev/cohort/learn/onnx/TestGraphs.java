package dev.cohort.learn.onnx;

import ai.onnx.proto.OnnxMl;
import dev.cohort.policy.ModelContract;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXOperators;

/**
 * Model files that the exporter would refuse to write, for testing how the agent copes with bad models from
 * elsewhere: written without verification.
 */
public final class TestGraphs {
    private TestGraphs() {
    }

    /** Writes {@code net} with {@code contract} as is (no check against a reference). */
    public static void writeUnverified(AgentNetwork net, ModelContract contract, Path file) throws IOException {
        write(AgentGraph.build(net, contract, "test"), file);
    }

    /** Writes {@code net} with the observation input's batch dimension fixed, as an export without dynamic axes does. */
    public static void writeFixedBatch(AgentNetwork net, ModelContract contract, int batch, Path file) throws IOException {
        var model = AgentGraph.build(net, contract, "test").toBuilder();
        var dim = model.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(0);
        dim.clearDimParam().setDimValue(batch);
        write(model.build(), file);
    }

    /**
     * A feed-forward model that fails inside ONNX Runtime on some inputs: it looks up a row of a 4-row table by the
     * first feature's value ({@code Gather}), so a first feature outside [-4, 3] is an out-of-range index. Outputs
     * row {@code k} of the table, whose best level is {@code k}.
     */
    public static void writeLookupModel(ModelContract contract, Path file) throws IOException {
        int levels = contract.actionLevels();
        ONNXContext ctx = new ONNXContext();
        var obs = ctx.floatInput(contract.inputName(), contract.features().size());
        var out = ctx.floatOutput(contract.outputName(), levels);
        float[] table = new float[4 * levels];
        for (int k = 0; k < 4; k++) {
            table[k * levels + k] = 1;
        }
        var t = ctx.floatTensor("table", List.of(4, levels), fb -> fb.put(table));
        var col0 = ctx.operation(ONNXOperators.GATHER, List.of(obs, ctx.array("col", new long[]{0})), "col0", Map.of("axis", 1));
        var idx = col0.apply(ONNXOperators.CAST, Map.of("to", OnnxMl.TensorProto.DataType.INT64.getNumber()));
        var rows = ctx.operation(ONNXOperators.GATHER, List.of(t, idx), "rows", Map.of("axis", 0));
        var q = ctx.operation(ONNXOperators.REDUCE_SUM, List.of(rows, ctx.array("axes", new long[]{1})), "q_sum",
                Map.of("keepdims", 0));
        ctx.assignTo(q, out);
        var model = OnnxMl.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(ONNXOperators.getOpsetProto())
                .setGraph(ctx.buildGraph());
        contract.toMetadata().forEach((k, v) -> model.addMetadataProps(
                OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build()));
        write(model.build(), file);
    }

    private static void write(OnnxMl.ModelProto model, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            model.writeTo(out);
        }
    }
}
