package dev.cohort.harness;

import dev.cohort.control.Controller;
import dev.cohort.control.ControllerConfig;
import dev.cohort.control.GovernorConfig;
import dev.cohort.control.Journal;
import dev.cohort.control.TickRecord;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.SimMachine;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policies;
import dev.cohort.policy.Policy;

/**
 * A controller over a simulated machine, built and stepped in one place: {@code simulate}, {@code evaluate}, the
 * benchmarks, training's environment and evaluator all run a scenario through this, so the {@link ControllerConfig}
 * (the machine's own power and bandwidth normalisers, the governor), the fallback and the stepping are the same
 * everywhere. The daemon's simulated backend takes its machine and normalisers from here too ({@link #machine},
 * {@link #controllerConfig}). One step is one control tick: the machine runs for a tick under the knobs set so far,
 * then {@link Controller#tick()} samples, decides, governs, applies and computes the reward. Not thread-safe.
 */
public final class SimHarness implements AutoCloseable {
    /** Training's simulator seeds are at least this; evaluation seeds are below it, so training never sees them. */
    public static final long FIRST_TRAINING_SEED = 1000;

    /** The baseline that decides a tick when the policy throws, everywhere a harness runs. */
    public static final String FALLBACK = "performance";

    /**
     * How to build one.
     *
     * @param base     levels, reward, λ and the rest; the machine's normalisers are filled in from the scenario
     * @param governor the safety limits ({@link GovernorConfig#EVALUATION} to judge policies: no SLO override)
     * @param journal  where tick decisions go
     */
    public record Options(ControllerConfig base, GovernorConfig governor, Journal journal) {
        /** How policies are judged: default levels and reward, the evaluation governor, no journal. */
        public static Options evaluation() {
            return new Options(ControllerConfig.DEFAULT, GovernorConfig.EVALUATION, Journal.NONE);
        }

        public Options withGovernor(GovernorConfig g) {
            return new Options(base, g, journal);
        }

        public Options withJournal(Journal j) {
            return new Options(base, governor, j);
        }

        public Options withBase(ControllerConfig c) {
            return new Options(c, governor, journal);
        }

        public Options withReward(dev.cohort.control.RewardWeights w) {
            return new Options(base.withReward(w), governor, journal);
        }
    }

    private final Scenario scenario;
    private final SimMachine machine;
    private final Controller controller;
    private final Policy fallback;
    private final Telemetry first;

    private final Policy owned;

    private SimHarness(Scenario scenario, long seed, Policy policy, String policySpec, Options o, boolean owns) {
        this.scenario = scenario;
        this.machine = machine(scenario, seed);
        this.owned = policy == null ? Policies.create(policySpec, machine.topology()) : owns ? policy : null;
        policy = policy == null ? owned : policy;
        var why = policy.tickDifference(scenario.tickNanos() / 1_000_000);
        if (why.isPresent()) {
            if (owned != null) {
                owned.close();
            }
            throw new dev.cohort.platform.CohortException("scenario " + scenario.name() + ": " + why.get());
        }
        this.first = machine.sample();
        this.fallback = Policies.create(FALLBACK, machine.topology());
        this.controller = new Controller(machine, controllerConfig(machine, o.base()).withGovernor(o.governor()), policy,
                fallback, o.journal(), false);
    }

    /** A fresh machine for {@code scenario} and {@code seed} under a controller running {@code policy}. */
    public static SimHarness open(Scenario scenario, long seed, Policy policy, Options o) {
        return new SimHarness(scenario, seed, policy, null, o, false);
    }

    /** The same, and {@code policy} is closed with the harness. */
    public static SimHarness openOwning(Scenario scenario, long seed, Policy policy, Options o) {
        return new SimHarness(scenario, seed, policy, null, o, true);
    }

    /** The same with the policy named by {@code policySpec} ({@link Policies#create}), closed with the harness. */
    public static SimHarness open(Scenario scenario, long seed, String policySpec, Options o) {
        return new SimHarness(scenario, seed, null, policySpec, o, false);
    }

    /** The simulated machine of a scenario and seed, knobs at their defaults. */
    public static SimMachine machine(Scenario scenario, long seed) {
        return new SimMachine(scenario, seed);
    }

    /**
     * {@code base} with what the simulated machine knows exactly filled in: energy normalised by its peak package
     * power, bandwidth by its per-socket peak (both from the power and memory models themselves).
     */
    public static ControllerConfig controllerConfig(SimMachine m, ControllerConfig base) {
        return base.withHost(m.peakPackageWatts(), m.memPeakBytesPerSec());
    }

    /** Ticks a run of {@code scenario} takes: {@code durationNanos} when positive, else the scenario's own length. */
    public static long ticks(Scenario scenario, long durationNanos) {
        long d = durationNanos > 0 ? durationNanos : scenario.durationNanos();
        return Math.max(1, d / scenario.tickNanos());
    }

    /** One control tick after one tick of simulated time. */
    public TickRecord step() {
        machine.advance(scenario.tickNanos());
        return controller.tick();
    }

    /**
     * The first half of {@link #step}: one tick of simulated time, then the controller's sample and observations
     * ({@link Controller#beginTick}); {@link #finishTick} with the decision completes the step.
     */
    public Observations beginStep() {
        machine.advance(scenario.tickNanos());
        return controller.beginTick();
    }

    /**
     * A run's whole state at one moment: the machine's ({@link SimMachine.Snapshot}) and the controller's with its
     * policies' ({@link Controller.Snapshot}). Immutable to callers; restoring it any number of times replays the run
     * from there bit for bit.
     *
     * @param machine    the simulated machine's state
     * @param controller the controller's state
     */
    public record Snapshot(SimMachine.Snapshot machine, Controller.Snapshot controller) {
    }

    /** The whole state now; taken while the policy decides, it holds the tick under way ({@link #finishTick}). */
    public Snapshot snapshot() {
        return new Snapshot(machine.snapshot(), controller.snapshot());
    }

    /**
     * Puts the run back where {@code s} was taken: stepping on gives what stepping on from there gave. {@code s} may
     * come from another harness of the same scenario and options (the oracle's look-ahead copy); this harness's policy
     * then keeps its own state.
     */
    public void restore(Snapshot s) {
        machine.restore(s.machine());
        controller.restore(s.controller());
    }

    /** Finishes the tick under way in a snapshot restored from inside a policy's decide ({@link Controller#finishTick}). */
    public TickRecord finishTick(Decision decision) {
        return controller.finishTick(decision);
    }

    /** Advances simulated time by one tick without a control tick (to time the controller alone). */
    public void advance() {
        machine.advance(scenario.tickNanos());
    }

    public Scenario scenario() {
        return scenario;
    }

    public SimMachine machine() {
        return machine;
    }

    public Controller controller() {
        return controller;
    }

    /** The machine's sample before the first tick (whole-run energy and counters start here). */
    public Telemetry first() {
        return first;
    }

    /** Closes the fallback, and the policy when the harness created it (a policy passed in belongs to the caller). */
    @Override
    public void close() {
        fallback.close();
        if (owned != null) {
            owned.close();
        }
    }
}
