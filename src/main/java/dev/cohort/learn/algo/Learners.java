package dev.cohort.learn.algo;

/** Creates the learner of an algorithm. */
public final class Learners {
    private Learners() {
    }

    /**
     * @param features  observation width per role ({@link dev.cohort.policy.Role} order)
     * @param levels    action levels per role
     * @param stateSize global state width
     * @param seed      initialisation seed
     */
    public static Learner create(Algorithm a, LearnerConfig cfg, int[] features, int[] levels, int stateSize, long seed) {
        return a == Algorithm.MADDPG ? new Maddpg(cfg, features, levels, stateSize, seed)
                : new ValueLearner(a, cfg, features, levels, stateSize, seed);
    }
}
