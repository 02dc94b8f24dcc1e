package dev.cohort.policy;

/**
 * The observations of all agents of one role in one tick: a row-major matrix {@code agents × features}
 * as the network takes it, plus each agent's current level. Reused from tick to tick by its producer.
 */
public final class RoleObservations {
    private final ObservationSpec spec;
    private final ActionSpace actions;
    private final float[] data;
    private final int[] currentLevel;
    private final int agents;

    public RoleObservations(ObservationSpec spec, ActionSpace actions, int agents) {
        this.spec = spec;
        this.actions = actions;
        this.agents = agents;
        this.data = new float[agents * spec.size()];
        this.currentLevel = new int[agents];
    }

    public ObservationSpec spec() {
        return spec;
    }

    public ActionSpace actions() {
        return actions;
    }

    public Role role() {
        return spec.role();
    }

    /** Number of agents of this role (0 when the host lacks the control). */
    public int agents() {
        return agents;
    }

    /** The matrix, row-major {@code agents × features}. Callers may read, producers write. */
    public float[] data() {
        return data;
    }

    /** Feature {@code f} of agent {@code a}. */
    public float get(int a, int f) {
        return data[a * spec.size() + f];
    }

    /** Sets feature {@code f} of agent {@code a}. */
    public void set(int a, int f, double v) {
        data[a * spec.size() + f] = (float) v;
    }

    /** Agent {@code a}'s current level. */
    public int currentLevel(int a) {
        return currentLevel[a];
    }

    public void setCurrentLevel(int a, int level) {
        currentLevel[a] = level;
    }

    /** A fresh copy (for replay buffers). */
    public float[] copyOfData() {
        return data.clone();
    }
}
