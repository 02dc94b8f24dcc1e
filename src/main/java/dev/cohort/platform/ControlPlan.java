package dev.cohort.platform;

import java.util.List;

/**
 * The knob values one tick asks for, in the order they are to be written. A knob not named keeps its value.
 *
 * @param tick     the tick number that produced the plan
 * @param settings what to write, in order
 */
public record ControlPlan(long tick, List<Setting> settings) {
    public ControlPlan {
        settings = List.copyOf(settings);
    }

    /** A plan that changes nothing. */
    public static ControlPlan empty(long tick) {
        return new ControlPlan(tick, List.of());
    }
}
