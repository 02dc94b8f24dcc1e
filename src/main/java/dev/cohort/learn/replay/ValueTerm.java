package dev.cohort.learn.replay;

import java.util.List;
import java.util.Locale;

/**
 * The reward's terms a value learner may learn apart from the rest ({@code learning.valuedApart}): each kept per tick
 * in the replay as its part of the reward, so that the rest is the reward minus the parts.
 */
public enum ValueTerm {
    /** {@code −β·λ·E}: the tick's package energy as a share of TDP, priced. */
    ENERGY,
    /** {@code δ·P}: best-effort progress. */
    PROGRESS;

    /** The name in configurations. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The term named {@code id}, or an exception listing the names. */
    public static ValueTerm of(String id) {
        for (ValueTerm t : values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("'" + id + "' is not a reward term that can be valued apart (allowed: "
                + String.join(", ", List.of(values()).stream().map(ValueTerm::id).toList()) + ")");
    }
}
