package dev.cohort.learn.algo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.cohort.platform.CohortException;
import dev.cohort.policy.DjlRuntime;

/** DJL's PyTorch engine for training: configured once (offline, one thread), required by every learner. */
public final class Engines {
    private Engines() {
    }

    /**
     * The PyTorch engine.
     *
     * @throws CohortException when it is not on the class path (the agent's runtime class path never has it: training
     *                         runs through {@code bin/cohort train}, which adds {@code target/train.classpath})
     */
    public static Engine pytorch() {
        if (!DjlRuntime.hasPyTorch()) {
            throw new CohortException("training needs DJL's PyTorch engine, which is not on the class path (run training "
                    + "through bin/cohort train, which adds the training jars)");
        }
        Engine e = Engine.getEngine(DjlRuntime.PYTORCH);
        e.setRandomSeed(0);
        return e;
    }

    /** A new root manager on the PyTorch engine's CPU device. */
    public static NDManager manager() {
        return pytorch().newBaseManager();
    }
}
