package dev.cohort.learn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.cohort.learn.onnx.ReferenceForward;

/**
 * The training forward pass ({@link AgentNet#forward} in DJL's PyTorch engine, one-step sequences) as a reference
 * for the exporter: every export is checked in ONNX Runtime against exactly the computation the learner trained.
 */
public final class TrainingForward implements ReferenceForward {
    private final AgentNet net;
    private final ParamSet params;
    private final NDManager manager;

    /** @param manager a PyTorch-engine manager (this reference creates sub-managers of it) */
    public TrainingForward(AgentNet net, ParamSet params, NDManager manager) {
        this.net = net;
        this.params = params;
        this.manager = manager;
    }

    @Override
    public String name() {
        return "training";
    }

    @Override
    public Step forward(float[] obs, int agents, float[] stateIn) {
        try (NDManager m = manager.newSubManager()) {
            Bound b = new Bound(m, params, false);
            NDArray x = m.create(java.util.Arrays.copyOf(obs, agents * net.inputs()), new Shape(agents, 1, net.inputs()));
            NDArray h0 = null;
            float[] state = null;
            if (net.recurrent()) {
                h0 = m.create(java.util.Arrays.copyOf(stateIn, agents * net.hidden()), new Shape(agents, net.hidden()));
                NDArray feat = Layers.gru(b, net.prefix() + ".gru", Layers.linearRelu(b, net.prefix() + ".fc0", x), h0);
                state = feat.toFloatArray();
            }
            float[] values = net.forward(b, x, h0).toFloatArray();
            return new Step(values, state);
        }
    }
}
