package dev.cohort.control;

import dev.cohort.platform.Platform;
import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.TelemetryInterval;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.ModelFallback;
import dev.cohort.policy.Policy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The control tick, the one path every run takes (daemon, dry run, simulate, evaluate, training):
 * sample → rates → encode → decide → govern → apply (or only journal, in a dry run) → reward → journal.
 * The first sample is taken at construction; each {@link #tick} decides on the interval since the last one.
 * A policy that throws is replaced by the fallback for that tick; a learned policy's per-role fallbacks to its
 * baseline ({@link Policy#lastTickFallbacks}, forwarded by composites) go into the tick's notes and its record. A knob whose write fails or is refused
 * (no such control, or held by a manual override) is noted once and then left alone for {@link #RETRY_TICKS}
 * ticks, so a persistent refusal neither hammers the kernel nor fills the journal every tick.
 * Not thread-safe: one loop owns it ({@link #retryNow} alone may be called from another thread).
 */
public final class Controller {
    private final Platform platform;
    private final ControllerConfig cfg;
    private final Policy fallback;
    private final Journal journal;
    private final boolean dryRun;
    private final AgentLayout layout;
    private HostStatus status;
    private final KnobState knobs;
    private final ObservationEncoder encoder;
    private final SafetyGovernor governor;
    private final Reward reward;
    private final Policy policy;
    private Telemetry previous;
    /** The interval the status describes (null before the first tick). */
    private TelemetryInterval interval;
    private long tick;
    private double lambda;
    private long fallbacks;
    /** Ticks a refused knob is left alone before the next attempt (5 s at the default 100 ms tick). */
    public static final int RETRY_TICKS = 50;
    /** Refused knobs (control and target) and the tick from which they may be planned again. */
    private final Map<String, Long> retryAtTick = new HashMap<>();
    private volatile boolean retryNow;
    /** Stands in for RAPL and predicts power every tick (null: no estimator). */
    private PowerStandIn standIn;
    private LayoutFacts layoutFacts;

    public Controller(Platform platform, ControllerConfig cfg, Policy policy, Policy fallback, Journal journal, boolean dryRun) {
        this.platform = platform;
        this.cfg = cfg;
        this.policy = policy;
        this.fallback = fallback;
        this.journal = journal;
        this.dryRun = dryRun;
        this.lambda = cfg.lambda();
        this.layout = new AgentLayout(platform.topology(), platform.capabilities(), cfg);
        this.status = new HostStatus(platform.topology(), cfg);
        this.knobs = new KnobState(layout);
        knobs.update(platform.currentSettings());
        ActionDecoder decoder = new ActionDecoder(layout, cfg.quotaPeriodUsec());
        this.encoder = new ObservationEncoder(layout, decoder, cfg);
        this.governor = new SafetyGovernor(layout, decoder, cfg.governor());
        this.reward = new Reward(platform.topology(), cfg);
        this.previous = platform.sample();
    }

    /** Runs one tick on the interval since the previous sample. */
    public TickRecord tick() {
        Observations obs = observe();
        List<String> notes = new ArrayList<>();
        Decision decision;
        Policy used = policy;
        try {
            decision = policy.decide(obs);
        } catch (RuntimeException e) {
            used = fallback;
            fallbacks++;
            notes.add("policy " + policy.name() + " failed (" + e.getMessage() + "); " + fallback.name() + " decided");
            decision = fallback.decide(obs);
        }
        List<ModelFallback> modelFallbacks = used.lastTickFallbacks();
        modelFallbacks.forEach(f -> notes.add(f.role().id() + " model fell back to " + f.baseline() + ": " + f.reason()));
        return act(decision, used, notes, modelFallbacks);
    }

    /**
     * Finishes the tick under way with {@code decision} as if the policy had returned it: governs, applies, rewards
     * and journals it. The tick under way is the one whose observations a {@link Snapshot} taken during the policy's
     * {@link Policy#decide} holds: restore such a snapshot, then finish the tick with each candidate (the oracle's
     * look-ahead). The decision passes the same governor as every policy's.
     */
    public TickRecord finishTick(Decision decision) {
        return act(decision, policy, new ArrayList<>(), List.of());
    }

    /**
     * The first half of a tick, for a caller that decides outside the policy (training steps many machines in lockstep
     * and decides for all of them at once): samples and encodes as {@link #tick} does before the policy decides, and
     * returns the observations (reused by the next tick). {@link #finishTick} with the decision completes the tick, exactly
     * as {@link #tick} would have with a policy that returned it.
     */
    public Observations beginTick() {
        return observe();
    }

    /** The first half of a tick: sample, the interval since the last sample, the host status, the observations. */
    private Observations observe() {
        Telemetry now = platform.sample();
        interval = TelemetryInterval.between(previous, now);
        previous = now;
        tick++;
        status.update(interval);
        if (dryRun) {
            // nothing of ours is applied, so the knobs hold what the host holds, whoever wrote it (a writer beside a
            // shadow dry run): observe and step from those values, not from the ones found at start
            knobs.update(platform.currentSettings());
        }
        Observations obs = encoder.encode(tick, status, knobs, lambda);
        if (standIn != null) {
            obs = estimate(obs);
        }
        return obs;
    }

    /**
     * The estimator's power for the interval just observed ({@link PowerStandIn}), kept every tick as
     * {@link #predictedWatts}; where the interval has no measured power it becomes the status's power (labelled
     * estimated) and the observations are encoded again with it.
     */
    private Observations estimate(Observations obs) {
        double[] est = standIn.estimate(obs);
        if (Double.isNaN(status.packageWatts()) && est != null) {
            status.useEstimate(est);
            obs = encoder.encode(tick, status, knobs, lambda);
        }
        standIn.remember(obs);
        return obs;
    }

    /**
     * Lets {@code e} predict each tick's package power, and stand in for it where the host measures none (no RAPL): the
     * status, the observations, the reward and the journal then carry the estimate, labelled {@link PowerSource#ESTIMATED}.
     * Null removes it. Call before the first tick.
     */
    public void setPowerEstimator(PowerEstimator e) {
        this.standIn = e == null ? null : new PowerStandIn(e, layout, encoder.observations());
    }

    /** The estimator in use, or null. */
    public PowerEstimator powerEstimator() {
        return standIn == null ? null : standIn.estimator();
    }

    /** The estimator's package power for the last interval, W, predicted from the tick before (NaN without an estimator
     * or before its second tick), whether or not RAPL measured it: the status shows it beside the measured power. */
    public double predictedWatts() {
        return standIn == null ? Double.NaN : standIn.predictedWatts();
    }

    /** The second half: govern the decision, apply the plan, compute the reward, journal the record. */
    private TickRecord act(Decision decision, Policy used, List<String> notes, List<ModelFallback> modelFallbacks) {
        SafetyGovernor.Plan governed = governor.plan(decision, knobs, status, lambda > cfg.lambda()); // a budget binds
        List<Setting> plan = withoutRefused(governed.settings());
        notes.addAll(governed.notes());
        List<SettingResult> results = dryRun ? List.of() : apply(plan, notes);
        RewardTerms r = reward.compute(status, lambda);
        if (standIn != null && standIn.note() != null) {
            notes.add(standIn.note());
        }
        TickRecord rec = new TickRecord(tick, previous.timestampNanos(), interval.seconds(), used.name(), used != policy, r,
                status.packageWatts(), status.latenciesUsec(), status.minSlack() < 0, status.minSlack(),
                plan, results, dryRun, notes, modelFallbacks, status.powerSource(), predictedWatts(),
                journal.recordsObservations() ? observed() : null);
        journal.record(rec);
        return rec;
    }

    /** This tick's observations, measured per-package power and the layout's facts, for the journal. */
    private ObservedTick observed() {
        if (layoutFacts == null) {
            layoutFacts = LayoutFacts.of(layout, cfg.tdpWatts());
        }
        return ObservedTick.of(encoder.observations(), status, interval, layoutFacts);
    }

    private List<SettingResult> apply(List<Setting> plan, List<String> notes) {
        if (plan.isEmpty()) {
            return List.of();
        }
        List<SettingResult> results = platform.apply(new dev.cohort.platform.ControlPlan(tick, plan));
        boolean refresh = false;
        for (SettingResult res : results) {
            switch (res.outcome()) {
                case APPLIED -> {
                    knobs.update(res.setting());
                    retryAtTick.remove(res.setting().knobKey());
                }
                case CLAMPED -> {
                    refresh = true;
                    retryAtTick.remove(res.setting().knobKey());
                }
                case CHANGED_BY_OTHER -> {
                    retryAtTick.put(res.setting().knobKey(), tick + RETRY_TICKS);
                    notes.add(res.setting().control() + " " + res.setting().target() + ": hand change detected, "
                            + res.detail());
                }
                case FAILED, UNSUPPORTED -> {
                    retryAtTick.put(res.setting().knobKey(), tick + RETRY_TICKS);
                    notes.add(res.setting().control() + " " + res.setting().target() + ": " + res.detail()
                            + " (not tried again for " + RETRY_TICKS + " ticks)");
                }
            }
        }
        if (refresh) {
            knobs.update(platform.currentSettings()); // learn what the hardware really applied
        }
        return results;
    }

    /** The plan less the knobs still waiting out a refusal. */
    private List<Setting> withoutRefused(List<Setting> plan) {
        if (retryNow) {
            retryNow = false;
            retryAtTick.clear();
        }
        if (retryAtTick.isEmpty()) {
            return plan;
        }
        List<Setting> out = new ArrayList<>(plan.size());
        for (Setting s : plan) {
            Long at = retryAtTick.get(s.knobKey());
            if (at == null || tick >= at) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The controller's whole state at one moment, for {@link #restore}: the last sample and its interval (the host
     * status is recomputed from that interval, and the best-effort progress window, the one thing {@link HostStatus}
     * keeps across ticks, is copied), the tick count, λ, the fallback count, the knobs the agents hold (what the
     * governor's step limits start from), refused knobs waiting out their retry, the last observations and what the
     * encoder remembers of earlier ticks, and the state the policy and the fallback carry between ticks
     * ({@link Policy#saveState}). Immutable to callers; taken in the middle of a tick (from a policy's decide) it
     * holds that tick's observations, and {@link #finishTick} completes it.
     */
    public static final class Snapshot {
        private final Policy policy;
        private final Telemetry previous;
        private final TelemetryInterval interval;
        private final long tick;
        private final double lambda;
        private final long fallbacks;
        private final Map<String, Long> retryAtTick;
        private final boolean retryNow;
        private final KnobState knobs;
        private final ObservationCopy observations;
        private final ObservationEncoder.Memory encoderMemory;
        private final Object policyState;
        private final Object fallbackState;
        private final BestEffortProgress progress;
        private final PowerStandIn.Saved standIn;
        private final double[] estimatedWatts;

        private Snapshot(Controller c) {
            policy = c.policy;
            previous = c.previous;
            interval = c.interval;
            tick = c.tick;
            lambda = c.lambda;
            fallbacks = c.fallbacks;
            retryAtTick = Map.copyOf(c.retryAtTick);
            retryNow = c.retryNow;
            knobs = c.knobs.copy();
            observations = ObservationCopy.of(c.encoder.observations());
            encoderMemory = c.encoder.saveMemory();
            policyState = c.policy.saveState();
            fallbackState = c.fallback.saveState();
            progress = c.status.progress().copy();
            standIn = c.standIn == null ? null : c.standIn.save();
            estimatedWatts = c.status.powerSource() == PowerSource.ESTIMATED ? c.status.packageWattsEach() : null;
        }

        /** The tick count when it was taken. */
        public long tick() {
            return tick;
        }
    }

    /** The whole state of this controller now (see {@link Snapshot}). */
    public Snapshot snapshot() {
        return new Snapshot(this);
    }

    /**
     * Puts this controller back in the state {@code s} recorded. A snapshot of another controller over an identical
     * machine may be restored too (the oracle's look-ahead copies); the policies' states are then left as they are, as
     * they belong to the other controller's policies.
     *
     * @throws IllegalArgumentException when {@code s} comes from a controller with another agent layout
     */
    public void restore(Snapshot s) {
        knobs.copyFrom(s.knobs);
        s.observations.copyTo(encoder.observations());
        encoder.restoreMemory(s.encoderMemory);
        previous = s.previous;
        interval = s.interval;
        tick = s.tick;
        lambda = s.lambda;
        fallbacks = s.fallbacks;
        retryAtTick.clear();
        retryAtTick.putAll(s.retryAtTick);
        retryNow = s.retryNow;
        if (interval == null) {
            status = new HostStatus(platform.topology(), cfg); // before the first tick: nothing measured yet
        } else {
            status.update(interval);
            status.restoreProgress(s.progress);
        }
        if (standIn != null && s.standIn != null) {
            standIn.restore(s.standIn);
            // the status was recomputed from the interval alone: put back the estimate it held where nothing was measured
            if (s.estimatedWatts != null && interval != null) {
                status.useEstimate(s.estimatedWatts);
            }
        }
        if (s.policy == policy) {
            policy.restoreState(s.policyState);
            fallback.restoreState(s.fallbackState);
        }
    }

    /** Lets every refused knob be planned again from the next tick (an override was released). Thread-safe. */
    public void retryNow() {
        retryNow = true;
    }

    /** The current policy. */
    public Policy policy() {
        return policy;
    }

    /** Sets the energy weight multiplier λ (the balancer's output). */
    public void setLambda(double lambda) {
        this.lambda = lambda;
    }

    public double lambda() {
        return lambda;
    }

    /**
     * Moves the safety governor's power budget, W (NaN: none), as the configuration's {@code GovernorConfig} would have
     * set it: its clamp and the observation's power-against-budget feature follow from the next tick. For the
     * {@code governor} balancer only (a daemon's budget moved at run time); other balancers leave the governor without one.
     */
    public void setPowerBudgetWatts(double watts) {
        governor.setPowerBudgetWatts(watts);
        encoder.setPowerBudgetWatts(watts);
    }

    /** The agents on this host. */
    public AgentLayout layout() {
        return layout;
    }

    /** The observations of the last tick (the same object every tick). */
    public Observations observations() {
        return encoder.observations();
    }

    /** The host status of the last tick. */
    public HostStatus status() {
        return status;
    }

    /** The knob values the agents hold now. */
    public KnobState knobs() {
        return knobs;
    }

    /** Ticks so far. */
    public long ticks() {
        return tick;
    }

    /** Ticks in which the fallback decided. */
    public long fallbacks() {
        return fallbacks;
    }
}
