package dev.cohort.service;

import dev.cohort.platform.Capabilities;
import dev.cohort.platform.ControlPlan;
import dev.cohort.platform.Platform;
import dev.cohort.platform.RecentSamples;
import dev.cohort.platform.RestoreReport;
import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;
import dev.cohort.platform.Signal;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.TelemetryInterval;
import dev.cohort.platform.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backend as the daemon's control tick sees it: every sample carries the services' latency from their
 * configured sources ({@link LatencySources}; cgroups on the PSI proxy stay NaN so the tick uses pressure), and
 * knobs under a manual override ({@code cohort tune} while the daemon runs) are left alone by the tick: their
 * settings come back UNSUPPORTED with the reason, and the override's own value is written through
 * {@link #applyOverride}. The last two samples are kept for status and metrics, which read them from other threads.
 * Not thread-safe otherwise: the control loop owns it.
 */
final class DaemonPlatform implements Platform {
    private final Platform inner;
    private final LatencySources latency;
    private final Map<String, Setting> overrides = new LinkedHashMap<>();
    private final Map<String, Setting> before = new LinkedHashMap<>();
    private final java.util.Set<String> handChanges = new java.util.LinkedHashSet<>();
    private volatile RecentSamples samples;

    DaemonPlatform(Platform inner, LatencySources latency) {
        this.inner = inner;
        this.latency = latency;
    }

    /** The last samples (null before the first). */
    RecentSamples samples() {
        return samples;
    }

    /** The manual overrides held, in the order they were made. */
    synchronized List<Setting> overrides() {
        return List.copyOf(overrides.values());
    }

    /** The knob keys of overrides that are someone else's hand changes (not made through cohort tune). */
    synchronized List<String> handChanges() {
        return List.copyOf(handChanges);
    }

    /**
     * Holds every knob someone else changed while cohort was away (found by the start's restore): a value cohort did
     * not write is the operator's. Returns the settings now held.
     */
    List<Setting> holdHandChanges() {
        List<Setting> theirs = inner.heldByOthers();
        synchronized (this) {
            for (Setting s : theirs) {
                overrides.put(s.knobKey(), s);
                handChanges.add(s.knobKey());
            }
        }
        return theirs;
    }

    /**
     * Writes an override's setting and holds it: the tick no longer touches that knob until {@link #release}. The
     * operator asked for it through cohort, so a knob they had changed by hand is theirs to set again; the value
     * before the first override is remembered and put back on release.
     */
    List<SettingResult> applyOverride(long tick, List<Setting> settings) {
        Map<String, Setting> now = new LinkedHashMap<>();
        for (Setting s : inner.currentSettings()) {
            now.put(s.knobKey(), s);
        }
        synchronized (this) {
            for (Setting s : settings) {
                if (!overrides.containsKey(s.knobKey()) && now.containsKey(s.knobKey())) {
                    before.put(s.knobKey(), now.get(s.knobKey()));
                }
                overrides.put(s.knobKey(), s);
                handChanges.remove(s.knobKey());
            }
        }
        inner.handBack(settings);
        return inner.apply(new ControlPlan(tick, settings));
    }

    /**
     * Lets the tick control knobs again ({@code key} null: every override). A knob set through cohort tune goes back
     * to the value it had before, so a knob the agents do not control (a minimum frequency, a weight, a
     * latency-critical service's quota) is not left at the override; a hand change becomes cohort's to change.
     *
     * @return the released settings, and the results of putting earlier values back
     */
    Released release(long tick, String keyOrNull) {
        List<Setting> out = new ArrayList<>();
        List<Setting> putBack = new ArrayList<>();
        synchronized (this) {
            overrides.entrySet().removeIf(e -> {
                boolean hit = keyOrNull == null || e.getKey().equals(keyOrNull);
                if (hit) {
                    out.add(e.getValue());
                    handChanges.remove(e.getKey());
                    Setting b = before.remove(e.getKey());
                    if (b != null) {
                        putBack.add(b);
                    }
                }
                return hit;
            });
        }
        inner.handBack(out);
        return new Released(out, putBack.isEmpty() ? List.of() : inner.apply(new ControlPlan(tick, putBack)));
    }

    /** Forgets an override whose write failed: there is nothing to hold and nothing to put back. */
    synchronized void drop(String key) {
        overrides.remove(key);
        before.remove(key);
        handChanges.remove(key);
    }

    /** What a release let go, and what putting the earlier values back did. */
    record Released(List<Setting> settings, List<SettingResult> putBack) {
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public Topology topology() {
        return inner.topology();
    }

    @Override
    public Capabilities capabilities() {
        return inner.capabilities();
    }

    @Override
    public Telemetry sample() {
        Telemetry t = inner.sample();
        if (latency != null && latency.active() && !t.has(Signal.CGROUP_LATENCY)) {
            t = t.withGauge(Signal.CGROUP_LATENCY_QUANTILE_USEC, latency.values());
        }
        RecentSamples s = samples;
        samples = new RecentSamples(s == null ? t : s.first(), s == null ? null : s.current(), t);
        return t;
    }

    @Override
    public List<SettingResult> apply(ControlPlan plan) {
        List<Setting> held;
        synchronized (this) {
            if (overrides.isEmpty()) {
                return holdDetected(inner.apply(plan));
            }
            held = List.copyOf(overrides.values());
        }
        List<Setting> pass = new ArrayList<>();
        for (Setting s : plan.settings()) {
            if (!isHeld(held, s)) {
                pass.add(s);
            }
        }
        List<SettingResult> done = pass.isEmpty() ? List.of() : holdDetected(inner.apply(new ControlPlan(plan.tick(), pass)));
        List<SettingResult> out = new ArrayList<>(plan.settings().size());
        int j = 0;
        for (Setting s : plan.settings()) {
            out.add(isHeld(held, s) ? SettingResult.unsupported(s, "held by a manual override (cohort tune release to hand it back)")
                    : done.get(j++));
        }
        return out;
    }

    /** Holds, as a manual override, every knob the keeper found changed by someone else (a hand change). */
    private List<SettingResult> holdDetected(List<SettingResult> results) {
        List<SettingResult> theirs = results.stream().filter(r -> r.outcome() == SettingResult.Outcome.CHANGED_BY_OTHER).toList();
        if (theirs.isEmpty()) {
            return results;
        }
        Map<String, Setting> now = new LinkedHashMap<>();
        for (Setting s : inner.currentSettings()) {
            now.put(s.knobKey(), s);
        }
        synchronized (this) {
            for (SettingResult r : theirs) {
                String k = r.setting().knobKey();
                overrides.put(k, now.getOrDefault(k, r.setting()));
                handChanges.add(k);
            }
        }
        return results;
    }

    private static boolean isHeld(List<Setting> held, Setting s) {
        String k = s.knobKey();
        for (Setting h : held) {
            if (h.knobKey().equals(k)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<Setting> currentSettings() {
        return inner.currentSettings();
    }

    @Override
    public RestoreReport restore(boolean force) {
        return inner.restore(force);
    }

    @Override
    public void close() {
        inner.close();
    }
}
