package dev.cohort.learn.onnx;

/**
 * A forward pass the exported file must reproduce: the training engine's, or the plain-Java one from the same
 * weights. One call is one tick for a batch of agents.
 */
public interface ReferenceForward extends AutoCloseable {

    /** What one tick gives: {@code agents × outputs} values and the {@code agents × hidden} next state (null when feed-forward). */
    record Step(float[] values, float[] stateOut) {
    }

    /** Short name for reports, e.g. {@code java} or {@code djl-pytorch}. */
    String name();

    /**
     * Runs one tick.
     *
     * @param obs     row-major {@code agents × inputs}
     * @param agents  batch size
     * @param stateIn row-major {@code agents × hidden} (ignored when feed-forward)
     */
    Step forward(float[] obs, int agents, float[] stateIn);

    @Override
    default void close() {
    }
}
