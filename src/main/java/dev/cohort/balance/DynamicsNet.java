package dev.cohort.balance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.onnx.proto.OnnxMl;
import dev.cohort.learn.nn.Bound;
import dev.cohort.learn.nn.Layers;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.learn.onnx.Ops;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The dynamics model's network: an MLP of {@code layers} hidden ReLU layers of {@code hidden} units from
 * {@link DynamicsFeatures#INPUTS} to {@link DynamicsFeatures#OUTPUTS}. Its parameters live in a {@link ParamSet}
 * (trained in DJL's PyTorch engine like the agents); {@link #forwardJava} is the plain-Java reference an export is
 * checked against, and {@link #graph} the ONNX graph the agent runs.
 */
public record DynamicsNet(int hidden, int layers, ParamSet params) {
    static final String INPUT = "x";
    static final String OUTPUT = "y";

    /** A freshly initialised network. */
    public static DynamicsNet create(int hidden, int layers, RandomGenerator rng) {
        if (hidden < 1 || layers < 1) {
            throw new IllegalArgumentException("dynamics network needs hidden ≥ 1 and layers ≥ 1, got " + hidden + ", " + layers);
        }
        ParamSet p = new ParamSet();
        int in = DynamicsFeatures.IN;
        for (int i = 0; i < layers; i++) {
            p.linear("dyn.fc" + i, in, hidden, rng);
            in = hidden;
        }
        p.linear("dyn.out", in, DynamicsFeatures.OUT, rng);
        return new DynamicsNet(hidden, layers, p);
    }

    /** The engine forward pass over {@code x} {@code [B, IN]} with parameters {@code b}: {@code [B, OUT]}. */
    NDArray forward(Bound b, NDArray x) {
        NDArray h = x;
        for (int i = 0; i < layers; i++) {
            h = Activation.relu(Layers.linear(b, "dyn.fc" + i, h));
        }
        return Layers.linear(b, "dyn.out", h);
    }

    /** The same in an engine manager, for a batch of rows. */
    float[] forwardEngine(NDManager m, float[] x, int rows) {
        try (NDManager sub = m.newSubManager()) {
            Bound b = new Bound(sub, params, false);
            return forward(b, sub.create(x, new Shape(rows, DynamicsFeatures.IN))).toFloatArray();
        }
    }

    /** Plain Java, row by row: the reference every export is checked against. */
    public float[] forwardJava(float[] x, int rows) {
        float[] out = new float[rows * DynamicsFeatures.OUT];
        for (int r = 0; r < rows; r++) {
            float[] h = java.util.Arrays.copyOfRange(x, r * DynamicsFeatures.IN, (r + 1) * DynamicsFeatures.IN);
            for (int i = 0; i < layers; i++) {
                h = dense("dyn.fc" + i, h, true);
            }
            System.arraycopy(dense("dyn.out", h, false), 0, out, r * DynamicsFeatures.OUT, DynamicsFeatures.OUT);
        }
        return out;
    }

    private float[] dense(String name, float[] in, boolean relu) {
        float[] w = params.get(name + ".weight");
        float[] b = params.get(name + ".bias");
        int outs = b.length;
        float[] y = new float[outs];
        for (int o = 0; o < outs; o++) {
            double s = b[o];
            for (int i = 0; i < in.length; i++) {
                s += (double) w[o * in.length + i] * in[i];
            }
            y[o] = relu ? (float) Math.max(0, s) : (float) s;
        }
        return y;
    }

    /** The ONNX graph (opset 13, batch dimension dynamic) with {@code metadata} in its {@code metadata_props}. */
    OnnxMl.ModelProto graph(Map<String, String> metadata, String producerVersion) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("cohort_dynamics");
        var x = ctx.floatInput(INPUT, DynamicsFeatures.IN);
        var y = ctx.floatOutput(OUTPUT, DynamicsFeatures.OUT);
        ONNXRef<?> h = x;
        int in = DynamicsFeatures.IN;
        for (int i = 0; i < layers; i++) {
            h = gemm(ctx, h, "dyn.fc" + i, in, hidden).apply(Ops.RELU);
            in = hidden;
        }
        ctx.assignTo(gemm(ctx, h, "dyn.out", in, DynamicsFeatures.OUT), y);
        var model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8)
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .setProducerName("cohort")
                .setProducerVersion(producerVersion)
                .setDomain("dev.cohort")
                .setModelVersion(DynamicsModel.FORMAT)
                .setDocString("cohort balancer dynamics model: MLP " + DynamicsFeatures.IN + " → " + layers + "×" + hidden
                        + " ReLU → " + DynamicsFeatures.OUT)
                .setGraph(ctx.buildGraph());
        metadata.forEach((k, v) -> model.addMetadataProps(
                OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build()));
        return model.build();
    }

    private ONNXRef<?> gemm(ONNXContext ctx, ONNXRef<?> x, String name, int in, int out) {
        var w = ctx.floatTensor(name.replace('.', '_') + "_weight", List.of(out, in), fb -> fb.put(params.get(name + ".weight")));
        var b = ctx.floatTensor(name.replace('.', '_') + "_bias", List.of(out), fb -> fb.put(params.get(name + ".bias")));
        return ctx.operation(ONNXOperators.GEMM, List.of(x, w, b), name.replace('.', '_'), Map.of("transB", 1));
    }
}
