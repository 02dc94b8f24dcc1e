package dev.cohort.platform;

import java.util.EnumMap;
import java.util.Map;

/**
 * What this host really has, per signal and per control. Consumers degrade per entry: a missing entry is
 * skipped and reported, never a reason to fail as a whole.
 */
public final class Capabilities {
    private final EnumMap<Signal, Availability> signals;
    private final EnumMap<Control, Availability> controls;

    private Capabilities(EnumMap<Signal, Availability> signals, EnumMap<Control, Availability> controls) {
        this.signals = signals;
        this.controls = controls;
    }

    /** A builder in which everything starts missing with the reason "not probed". */
    public static Builder builder() {
        return new Builder();
    }

    public Availability signal(Signal s) {
        return signals.get(s);
    }

    public Availability control(Control c) {
        return controls.get(c);
    }

    public boolean has(Signal s) {
        return signals.get(s).available();
    }

    public boolean has(Control c) {
        return controls.get(c).available();
    }

    /** All signals with their availability, in declaration order. */
    public Map<Signal, Availability> signals() {
        return java.util.Collections.unmodifiableMap(signals);
    }

    /** All controls with their availability, in declaration order. */
    public Map<Control, Availability> controls() {
        return java.util.Collections.unmodifiableMap(controls);
    }

    /** Builds a {@link Capabilities}. */
    public static final class Builder {
        private final EnumMap<Signal, Availability> signals = new EnumMap<>(Signal.class);
        private final EnumMap<Control, Availability> controls = new EnumMap<>(Control.class);

        private Builder() {
            for (Signal s : Signal.values()) {
                signals.put(s, Availability.no("not probed", ""));
            }
            for (Control c : Control.values()) {
                controls.put(c, Availability.no("not probed", ""));
            }
        }

        public Builder signal(Signal s, Availability a) {
            signals.put(s, a);
            return this;
        }

        public Builder control(Control c, Availability a) {
            controls.put(c, a);
            return this;
        }

        public Capabilities build() {
            return new Capabilities(new EnumMap<>(signals), new EnumMap<>(controls));
        }
    }
}
