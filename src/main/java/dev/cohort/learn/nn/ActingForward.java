package dev.cohort.learn.nn;

import dev.cohort.learn.onnx.ReferenceForward;
import java.util.Arrays;

/**
 * The acting forward pass ({@link AgentForward}, what training's actors and evaluations run) as a reference for the
 * exporter: the exported file must act as the policy that was evaluated during training. For AWRQ this is the one
 * reference that averages the heads' outputs rather than their weights.
 */
public final class ActingForward implements ReferenceForward {
    private final AgentForward forward;

    public ActingForward(AgentNet net, ParamSet params) {
        this.forward = new AgentForward(net, params);
    }

    @Override
    public String name() {
        return "acting";
    }

    @Override
    public Step forward(float[] obs, int agents, float[] stateIn) {
        AgentNet net = forward.net();
        float[] state = net.recurrent() ? Arrays.copyOf(stateIn, agents * net.hidden()) : new float[1];
        float[] values = new float[agents * net.outputs()];
        forward.step(obs, agents, state, values);
        return new Step(values, net.recurrent() ? state : null);
    }
}
