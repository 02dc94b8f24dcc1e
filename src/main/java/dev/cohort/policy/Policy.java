package dev.cohort.policy;

/**
 * Chooses a level for every agent from its observation. Baselines, ONNX models and exploring learners all
 * implement this; the control tick treats them alike. Implementations may keep state (recurrent policies);
 * {@link #reset} clears it.
 */
public interface Policy extends AutoCloseable {

    /** The name shown in reports and the journal. */
    String name();

    /**
     * Chooses levels. May throw or return out-of-range levels: the safety governor treats those as
     * "no change" and the controller falls back to a baseline when a policy fails.
     */
    Decision decide(Observations obs);

    /**
     * The roles whose learned model fell back to its baseline in the last {@link #decide}; empty for a policy that
     * never does. A policy that wraps others forwards theirs.
     */
    default java.util.List<ModelFallback> lastTickFallbacks() {
        return java.util.List.of();
    }

    /**
     * Why this policy should not run at a control tick of {@code tickMillis} ms, as one line naming the fix (a learned
     * model trained at another period); empty when it may. A policy that wraps others asks them.
     */
    default java.util.Optional<String> tickDifference(long tickMillis) {
        return java.util.Optional.empty();
    }

    /** Forgets any state carried between ticks. */
    default void reset() {
    }

    @Override
    default void close() {
    }
}
