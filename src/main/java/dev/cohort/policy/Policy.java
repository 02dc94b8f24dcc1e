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

    /**
     * A copy of the state this policy carries between ticks, for {@link #restoreState}: a simulated run's snapshot
     * takes it, so that a restored run decides exactly as the first one did. Null for a stateless policy (the
     * default); a policy with state overrides both methods.
     */
    default Object saveState() {
        return null;
    }

    /** Puts back a state {@link #saveState} of this policy returned; the policy must not change the object it is given. */
    default void restoreState(Object state) {
    }

    @Override
    default void close() {
    }
}
