package dev.cohort.learn.onnx;

import ai.onnx.proto.OnnxMl;
import dev.cohort.policy.ModelContract;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Builds the ONNX graph of one agent network with Tribuo's ONNX builder: IR version 8, opset 13, batch
 * dimension (agents) dynamic. Linear layers are {@code Gemm} with {@code transB = 1}, which takes the
 * {@code [out, in]} weights as PyTorch and DJL keep them. The GRU cell is written out gate by gate
 * ({@code Gemm}, {@code Split}, {@code Sigmoid}, {@code Tanh}, {@code Mul}, {@code Add}) with PyTorch's formulas,
 * so no gate reordering is needed; its state is the explicit input and output the contract names. The
 * contract goes into {@code metadata_props}.
 */
final class AgentGraph {
    /** ONNX IR version written (loads in every ONNX Runtime release tried, see reference/dependencies.md). */
    static final int IR_VERSION = 8;

    private AgentGraph() {
    }

    static OnnxMl.ModelProto build(AgentNetwork net, ModelContract c, String producerVersion) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("cohort_" + c.role().id() + "_agent");
        ONNXPlaceholder obs = ctx.floatInput(c.inputName(), net.inputs());
        ONNXPlaceholder hIn = c.recurrent() ? ctx.floatInput(c.stateInName(), net.hiddenSize()) : null;
        ONNXPlaceholder out = ctx.floatOutput(c.outputName(), net.outputs());
        ONNXPlaceholder hOut = c.recurrent() ? ctx.floatOutput(c.stateOutName(), net.hiddenSize()) : null;

        ONNXRef<?> x = obs;
        for (int i = 0; i < net.encoder().size(); i++) {
            x = linear(ctx, x, net.encoder().get(i), "fc" + i).apply(Ops.RELU);
        }
        if (c.recurrent()) {
            x = gruStep(ctx, x, hIn, net.gru());
            ctx.assignTo(x, hOut);
        }
        ctx.assignTo(linear(ctx, x, net.head(), "head"), out);

        var model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .setProducerName("cohort")
                .setProducerVersion(producerVersion)
                .setDomain("dev.cohort")
                .setModelVersion(c.formatVersion())
                .setDocString("cohort " + c.role().id() + " agent (" + c.algorithm() + "): " + describe(net))
                .setGraph(ctx.buildGraph());
        c.toMetadata().forEach((k, v) -> model.addMetadataProps(
                OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build()));
        return model.build();
    }

    /** {@code y = x·Wᵀ + b}. */
    private static ONNXRef<?> linear(ONNXContext ctx, ONNXRef<?> x, DenseLayer l, String name) {
        var w = ctx.floatTensor(name + "_weight", List.of(l.outputs(), l.inputs()), fb -> fb.put(l.weight()));
        var b = ctx.floatTensor(name + "_bias", List.of(l.outputs()), fb -> fb.put(l.bias()));
        return ctx.operation(ONNXOperators.GEMM, List.of(x, w, b), name, Map.of("transB", 1));
    }

    /** One GRU cell step, PyTorch's formulas (see {@link GruCellWeights}). */
    private static ONNXRef<?> gruStep(ONNXContext ctx, ONNXRef<?> x, ONNXRef<?> h, GruCellWeights g) {
        int gates = 3 * g.hidden();
        var wih = ctx.floatTensor("gru_weight_ih", List.of(gates, g.inputs()), fb -> fb.put(g.weightIh()));
        var whh = ctx.floatTensor("gru_weight_hh", List.of(gates, g.hidden()), fb -> fb.put(g.weightHh()));
        var bih = ctx.floatTensor("gru_bias_ih", List.of(gates), fb -> fb.put(g.biasIh()));
        var bhh = ctx.floatTensor("gru_bias_hh", List.of(gates), fb -> fb.put(g.biasHh()));
        var gi = ctx.operation(ONNXOperators.GEMM, List.of(x, wih, bih), "gru_gi", Map.of("transB", 1));
        var gh = ctx.operation(ONNXOperators.GEMM, List.of(h, whh, bhh), "gru_gh", Map.of("transB", 1));
        var i = ctx.operation(Ops.SPLIT3, List.of(gi), List.of("gru_i_r", "gru_i_z", "gru_i_n"), Map.of("axis", 1));
        var hh = ctx.operation(Ops.SPLIT3, List.of(gh), List.of("gru_h_r", "gru_h_z", "gru_h_n"), Map.of("axis", 1));
        var r = i.get(0).apply(ONNXOperators.ADD, hh.get(0)).apply(ONNXOperators.SIGMOID);
        var z = i.get(1).apply(ONNXOperators.ADD, hh.get(1)).apply(ONNXOperators.SIGMOID);
        var n = i.get(2).apply(ONNXOperators.ADD, r.apply(ONNXOperators.MUL, hh.get(2))).apply(Ops.TANH);
        var one = ctx.constant("one", 1.0f);
        var keepNew = one.apply(ONNXOperators.SUB, z).apply(ONNXOperators.MUL, n);
        return keepNew.apply(ONNXOperators.ADD, z.apply(ONNXOperators.MUL, h));
    }

    private static String describe(AgentNetwork net) {
        var sb = new StringBuilder();
        for (DenseLayer l : net.encoder()) {
            sb.append("Linear(").append(l.inputs()).append(',').append(l.outputs()).append(") → ReLU → ");
        }
        if (net.recurrent()) {
            sb.append("GRUCell(").append(net.gru().inputs()).append(',').append(net.gru().hidden()).append(") → ");
        }
        return sb.append("Linear(").append(net.head().inputs()).append(',').append(net.head().outputs()).append(')').toString();
    }
}
