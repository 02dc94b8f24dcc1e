package dev.cohort.learn.algo;

import dev.cohort.learn.nn.AgentNet;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.learn.replay.Batch;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A multi-agent learner in DJL's small-interface style ({@code Agent.act/train}): the agent networks it exposes
 * act (in plain Java, {@link dev.cohort.learn.nn.AgentForward}); {@link #update} trains on a batch. Mixers and
 * critics stay inside. Deterministic for its inputs (the engine runs one thread).
 */
public interface Learner {

    Algorithm algorithm();

    /** One network per role in {@link dev.cohort.policy.Role} order, parameters under the role's id in {@link #actorParams}. */
    List<AgentNet> agents();

    /** The agent networks' parameters (live: take a copy for acting). */
    ParamSet actorParams();

    /**
     * How outputs become exploratory actions: false for ε-greedy over Q-values, true for sampling from
     * {@code softmax(outputs)} (MADDPG's logits).
     */
    boolean samplesActions();

    /** One gradient update on {@code batch}. */
    UpdateStats update(Batch batch, RandomGenerator rng);

    /**
     * For a learner that values terms apart ({@link LearnerConfig#valuedApart}): per term valued apart, in that order,
     * what one unit of its values is worth in units of the rest's (the ratio of their rewards' scales), used by
     * {@link #actorParams} and the next updates. Others ignore it.
     */
    default void setTermWeights(double[] weights) {
    }

    /** Multiplies every learning rate by {@code scale} (in (0, 1]) from the next update on: a schedule's decay. */
    void scaleLearningRates(double scale);

    /** Updates done. */
    long updates();

    /** Writes every parameter, target and optimiser state. */
    void write(DataOutputStream out) throws IOException;

    /** Restores what {@link #write} wrote (same configuration). */
    void read(DataInputStream in) throws IOException;
}
