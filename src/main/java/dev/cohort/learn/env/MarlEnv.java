package dev.cohort.learn.env;

import dev.cohort.control.AgentLayout;
import dev.cohort.control.GovernorConfig;
import dev.cohort.control.TickRecord;
import dev.cohort.harness.SimHarness;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.SimMachine;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policy;

/**
 * The Dec-POMDP over the simulated machine: the daemon's own control tick drives a {@link SimMachine} through
 * {@link SimHarness}, with the learner as the policy. So training sees exactly the observation encoding, the
 * action decoding, the {@link dev.cohort.control.SafetyGovernor} and the reward that {@code cohort run} and
 * {@code cohort evaluate} use. One {@link #step} is one control tick: the machine runs for a tick under the
 * knobs set so far, the controller samples it and encodes the observations, the {@link Actor} chooses every
 * agent's level, the governor turns them into a plan, the plan is applied, and the tick's reward is computed
 * on the interval that just ended, so the reward a step returns is the consequence of the <em>previous</em>
 * step's actions. Not thread-safe: one collector owns an env.
 */
public final class MarlEnv {
    /** Chooses levels inside a tick. */
    public interface Actor {
        /**
         * Fills {@code out} (one level per agent per role, NO_CHANGE by default) from this tick's observations.
         * The observation arrays are reused by the controller: copy what must be kept.
         */
        void act(Observations obs, Decision out);
    }

    private final GovernorConfig governor;
    private final dev.cohort.control.RewardWeights reward;
    private SimHarness harness;
    private Actor actor;

    /** @param governor the safety limits (training uses the evaluation governor: no SLO override) */
    public MarlEnv(GovernorConfig governor) {
        this(governor, dev.cohort.control.RewardWeights.DEFAULT);
    }

    /**
     * @param governor the safety limits (training uses the evaluation governor: no SLO override)
     * @param reward   the reward's weights
     */
    public MarlEnv(GovernorConfig governor, dev.cohort.control.RewardWeights reward) {
        this.governor = governor;
        this.reward = reward;
    }

    /** Starts an episode: a fresh machine for {@code scenario} with {@code seed}, knobs at their defaults. */
    public void reset(Scenario scenario, long seed, double lambda) {
        Policy learner = new Policy() {
            @Override
            public String name() {
                return "learner";
            }

            @Override
            public Decision decide(Observations obs) {
                Decision d = Decision.noChange(obs);
                actor.act(obs, d);
                return d;
            }
        };
        if (harness != null) {
            harness.close();
        }
        this.harness = SimHarness.open(scenario, seed, learner, options());
        harness.controller().setLambda(lambda);
    }

    /** Runs one tick with {@code a} choosing the levels; returns what the tick saw, decided and earned. */
    public TickRecord step(Actor a) {
        if (harness == null) {
            throw new IllegalStateException("MarlEnv.step() before reset()");
        }
        this.actor = a;
        return harness.step();
    }

    /**
     * The first half of {@link #step}, for deciding outside the tick (many environments in lockstep, one forward pass
     * for all): the machine runs a tick and the controller samples and encodes it. Returns the observations, reused by
     * the next tick; {@link #finish} completes the step as {@link #step} would have with an actor that chose the same.
     */
    public Observations begin() {
        if (harness == null) {
            throw new IllegalStateException("MarlEnv.begin() before reset()");
        }
        return harness.beginStep();
    }

    /** The second half of a step {@link #begin} started: {@code d}'s levels are governed, applied and rewarded. */
    public TickRecord finish(Decision d) {
        return harness.finishTick(d);
    }

    /** The options every episode's run is opened with: the evaluation harness with this environment's governor and reward. */
    public SimHarness.Options options() {
        return SimHarness.Options.evaluation().withGovernor(governor).withReward(reward);
    }

    /** The current episode's run, for a policy that searches copies of it (the hindsight oracle as a demonstrator). */
    public SimHarness harness() {
        if (harness == null) {
            throw new IllegalStateException("MarlEnv.harness() before reset()");
        }
        return harness;
    }

    /** The agents of the current episode. */
    public AgentLayout layout() {
        return harness.controller().layout();
    }

    /** The observations of the last tick (reused by the controller). */
    public Observations observations() {
        return harness.controller().observations();
    }

    /**
     * Per frequency-domain agent, the simulator's exact energy of its domain's cores so far, J (no counter a host has
     * measures this: training alone uses it, to credit each agent with what its own level spent).
     */
    public double[] coreDomainJoules() {
        AgentLayout l = layout();
        SimMachine m = machine();
        double[] out = new double[l.agents(dev.cohort.policy.Role.CORE)];
        for (int a = 0; a < out.length; a++) {
            for (int cpu : l.topology().frequencyDomains().get(l.coreDomain(a)).cpus().toArray()) {
                out[a] += m.coreEnergyJoules(cpu);
            }
        }
        return out;
    }

    public Scenario scenario() {
        return harness.scenario();
    }

    public SimMachine machine() {
        return harness.machine();
    }
}
