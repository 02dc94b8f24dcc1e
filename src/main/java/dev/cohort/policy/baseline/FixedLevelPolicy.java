package dev.cohort.policy.baseline;

import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import java.util.EnumMap;
import java.util.Map;

/**
 * Holds every agent of a role at one fixed level (as a fraction of the range), or leaves the role alone.
 * This is {@code performance} (everything at the top: maximum frequency, no bandwidth limit, no quota),
 * {@code powersave} (minimum frequency, other knobs untouched) and {@code static} (levels from configuration).
 */
public final class FixedLevelPolicy implements Policy {
    private final String name;
    private final EnumMap<Role, Double> fractions;

    /**
     * @param name      policy name
     * @param fractions per role the fraction of the range (0 = lowest level, 1 = top); a role not in the
     *                  map is left unchanged
     */
    public FixedLevelPolicy(String name, Map<Role, Double> fractions) {
        this.name = name;
        this.fractions = fractions.isEmpty() ? new EnumMap<>(Role.class) : new EnumMap<>(fractions);
    }

    /** Maximum frequency everywhere, best-effort work unthrottled: the kernel's {@code performance} plus no limits. */
    public static FixedLevelPolicy performance() {
        return new FixedLevelPolicy("performance", Map.of(Role.CORE, 1.0, Role.MEMORY, 1.0, Role.QUOTA, 1.0));
    }

    /** Minimum frequency everywhere; bandwidth and quota untouched: the kernel's {@code powersave}. */
    public static FixedLevelPolicy powersave() {
        return new FixedLevelPolicy("powersave", Map.of(Role.CORE, 0.0));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Decision decide(Observations obs) {
        Decision d = Decision.noChange(obs);
        for (var e : fractions.entrySet()) {
            var ro = obs.role(e.getKey());
            int level = ro.actions().nearestLevel(e.getValue());
            java.util.Arrays.fill(d.levels(e.getKey()), level);
        }
        return d;
    }
}
