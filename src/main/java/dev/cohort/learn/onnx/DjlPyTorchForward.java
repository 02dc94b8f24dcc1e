package dev.cohort.learn.onnx;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.LayoutType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.GRU;
import ai.djl.training.ParameterStore;
import dev.cohort.platform.CohortException;
import dev.cohort.policy.DjlRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent network run by DJL's PyTorch engine (libtorch), built from DJL's own blocks ({@code Linear}, ReLU,
 * a one-layer {@code GRU} stepped once) with the given weights: the training engine's forward pass, against
 * which an export is checked when libtorch is on the class path (training builds only; the agent never has it).
 * Uses the DJL API only, so this class compiles and loads without the PyTorch engine; constructing it without
 * the engine fails with a {@link CohortException}. Not thread-safe.
 */
public final class DjlPyTorchForward implements ReferenceForward {
    private final NDManager manager;
    private final ParameterStore params;
    private final List<Linear> encoder = new ArrayList<>();
    private final GRU gru;
    private final Linear head;
    private final int inputs;
    private final int hidden;

    /**
     * Builds the network in libtorch from plain weights.
     *
     * @throws CohortException when DJL's PyTorch engine is not on the class path
     */
    public DjlPyTorchForward(AgentNetwork net) {
        if (!DjlRuntime.hasPyTorch()) {
            throw new CohortException("DJL's PyTorch engine is not on the class path (it ships only for training)");
        }
        this.manager = NDManager.newBaseManager(Device.cpu(), DjlRuntime.PYTORCH);
        this.params = new ParameterStore(manager, false);
        for (DenseLayer l : net.encoder()) {
            encoder.add(linear(l));
        }
        this.inputs = net.inputs();
        this.hidden = net.hiddenSize();
        this.gru = net.recurrent() ? gru(net.gru()) : null;
        this.head = linear(net.head());
    }

    @Override
    public String name() {
        return "djl-pytorch";
    }

    @Override
    public Step forward(float[] obs, int agents, float[] stateIn) {
        try (NDManager tick = manager.newSubManager()) {
            NDArray x = tick.create(java.util.Arrays.copyOf(obs, agents * inputs), new Shape(agents, inputs));
            for (Linear l : encoder) {
                x = Activation.relu(l.forward(params, new NDList(x), false).singletonOrThrow());
            }
            float[] state = null;
            if (gru != null) {
                NDArray seq = x.expandDims(1); // [agents, 1 step, features], batch first
                NDArray h0 = tick.create(java.util.Arrays.copyOf(stateIn, agents * hidden), new Shape(1, agents, hidden));
                NDList out = gru.forward(params, new NDList(seq, h0), false);
                x = out.get(1).reshape(agents, hidden);
                state = x.toFloatArray();
            }
            float[] values = head.forward(params, new NDList(x), false).singletonOrThrow().toFloatArray();
            return new Step(values, state);
        }
    }

    private Linear linear(DenseLayer l) {
        Linear b = Linear.builder().setUnits(l.outputs()).build();
        b.initialize(manager, DataType.FLOAT32, new Shape(1, l.inputs()));
        b.getParameters().get("weight").getArray().set(l.weight());
        b.getParameters().get("bias").getArray().set(l.bias());
        return b;
    }

    private GRU gru(GruCellWeights g) {
        GRU b = GRU.builder().setStateSize(g.hidden()).setNumLayers(1).optBatchFirst(true).optReturnState(true).build();
        b.initialize(manager, DataType.FLOAT32, new Shape(new long[]{1, 1, g.inputs()},
                new LayoutType[]{LayoutType.BATCH, LayoutType.TIME, LayoutType.CHANNEL}));
        b.getParameters().get("l_0_i2h_WEIGHT").getArray().set(g.weightIh());
        b.getParameters().get("l_0_h2h_WEIGHT").getArray().set(g.weightHh());
        b.getParameters().get("l_0_i2h_BIAS").getArray().set(g.biasIh());
        b.getParameters().get("l_0_h2h_BIAS").getArray().set(g.biasHh());
        return b;
    }

    @Override
    public void close() {
        manager.close();
    }
}
