package dev.cohort.balance.cost;

import ai.onnx.proto.OnnxMl;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.learn.onnx.Ops;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The ONNX graph of a {@link CostNet} with Tribuo's ONNX builder: IR 8, opset 13, the row dimension dynamic. Linear
 * layers are {@code Gemm} with {@code transB = 1} on PyTorch's {@code [out, in]} weights; the gate mixture is the same
 * two constant products {@link CostNet#forward} takes; the contract goes into {@code metadata_props}.
 */
final class CostGraph {
    static final int IR_VERSION = 8;

    private CostGraph() {
    }

    static OnnxMl.ModelProto build(CostNet net, ParamSet p, CostContract c, String producerVersion) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("cohort_cost_estimator");
        var rows = ctx.floatInput(CostContract.INPUT, CostFeatures.WIDTH);
        var out = ctx.floatOutput(CostContract.OUTPUT, CostNet.TASKS);
        ONNXRef<?> x0 = linear(ctx, rows, p, "in");
        ONNXRef<?> xl = x0;
        for (int l = 0; l < net.cross(); l++) {
            xl = x0.apply(ONNXOperators.MUL, linear(ctx, xl, p, "cross" + l)).apply(ONNXOperators.ADD, xl);
        }
        ONNXRef<?> deep = linear(ctx, linear(ctx, x0, p, "deep0").apply(Ops.RELU), p, "deep1").apply(Ops.RELU);
        ONNXRef<?> z = ctx.operation(ONNXOperators.CONCAT, List.of(xl, deep), "shared", Map.of("axis", 1));
        ONNXRef<?> ex = linear(ctx, z, p, "experts").apply(Ops.RELU);
        int eu = net.experts() * net.expertUnits();
        var rep = ctx.floatTensor("gate_repeat", List.of(net.experts(), eu), fb -> fb.put(net.repeat()));
        var sum = ctx.floatTensor("expert_sum", List.of(eu, net.expertUnits()), fb -> fb.put(net.sum()));
        java.util.List<ONNXRef<?>> heads = new java.util.ArrayList<>();
        for (int k = 0; k < CostNet.TASKS; k++) {
            ONNXRef<?> g = ctx.operation(ONNXOperators.SOFTMAX, List.of(linear(ctx, z, p, "gate" + k)), "gate" + k + "_softmax",
                    Map.of("axis", 1));
            ONNXRef<?> wide = ctx.operation(ONNXOperators.GEMM, List.of(g, rep), "gate" + k + "_wide", Map.of());
            ONNXRef<?> mix = ctx.operation(ONNXOperators.GEMM, List.of(wide.apply(ONNXOperators.MUL, ex), sum), "mix" + k, Map.of());
            ONNXRef<?> h = linear(ctx, mix, p, "tower" + k + ".0").apply(Ops.RELU);
            heads.add(linear(ctx, h, p, "tower" + k + ".1"));
        }
        ctx.assignTo(ctx.operation(ONNXOperators.CONCAT, heads, "heads", Map.of("axis", 1)), out);
        var model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .setProducerName("cohort")
                .setProducerVersion(producerVersion)
                .setDomain("dev.cohort")
                .setModelVersion(CostContract.FORMAT)
                .setDocString("cohort cost estimator: " + net.describe())
                .setGraph(ctx.buildGraph());
        c.toMetadata().forEach((k, v) -> model.addMetadataProps(
                OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build()));
        return model.build();
    }

    private static ONNXRef<?> linear(ONNXContext ctx, ONNXRef<?> x, ParamSet p, String name) {
        int[] s = p.shape(name + ".weight");
        var w = ctx.floatTensor(name.replace('.', '_') + "_weight", List.of(s[0], s[1]), fb -> fb.put(p.get(name + ".weight")));
        var b = ctx.floatTensor(name.replace('.', '_') + "_bias", List.of(s[0]), fb -> fb.put(p.get(name + ".bias")));
        return ctx.operation(ONNXOperators.GEMM, List.of(x, w, b), name.replace('.', '_'), Map.of("transB", 1));
    }
}
