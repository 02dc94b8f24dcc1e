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
    private final Policy fallback;
    private final Journal journal;
    private final boolean dryRun;
    private final AgentLayout layout;
    private final HostStatus status;
    private final KnobState knobs;
    private final ObservationEncoder encoder;
    private final SafetyGovernor governor;
    private final Reward reward;
    private final Policy policy;
    private Telemetry previous;
    private long tick;
    private double lambda;
    private long fallbacks;
    /** Ticks a refused knob is left alone before the next attempt (5 s at the default 100 ms tick). */
    public static final int RETRY_TICKS = 50;
    /** Refused knobs (control and target) and the tick from which they may be planned again. */
    private final Map<String, Long> retryAtTick = new HashMap<>();
    private volatile boolean retryNow;

    public Controller(Platform platform, ControllerConfig cfg, Policy policy, Policy fallback, Journal journal, boolean dryRun) {
        this.platform = platform;
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
        Telemetry now = platform.sample();
        TelemetryInterval iv = TelemetryInterval.between(previous, now);
        previous = now;
        tick++;
        status.update(iv);
        Observations obs = encoder.encode(tick, status, knobs, lambda);
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
        SafetyGovernor.Plan governed = governor.plan(decision, knobs, status);
        List<Setting> plan = withoutRefused(governed.settings());
        notes.addAll(governed.notes());
        List<SettingResult> results = dryRun ? List.of() : apply(plan, notes);
        RewardTerms r = reward.compute(status, lambda);
        TickRecord rec = new TickRecord(tick, now.timestampNanos(), iv.seconds(), used.name(), used != policy, r,
                status.packageWatts(), status.latenciesUsec(), status.minSlack() < 0, status.minSlack(),
                plan, results, dryRun, notes, modelFallbacks);
        journal.record(rec);
        return rec;
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
     * Lets every refused knob be planned again from the next tick (a manual override was released). Safe to call
     * from another thread.
     */
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
