package dev.cohort.policy.baseline;

import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/** One policy per role, as the daemon's configuration names them: each role's levels come from its own policy. */
public final class CompositePolicy implements Policy {
    private final EnumMap<Role, Policy> byRole;

    public CompositePolicy(Map<Role, Policy> byRole) {
        this.byRole = new EnumMap<>(byRole);
    }

    /** The one policy every role uses, or null when the roles use different ones. */
    public Policy single() {
        Policy first = byRole.values().iterator().next();
        return byRole.values().stream().allMatch(p -> p == first) ? first : null;
    }

    @Override
    public String name() {
        return byRole.entrySet().stream().map(e -> e.getKey().id() + "=" + e.getValue().name())
                .collect(Collectors.joining(","));
    }

    @Override
    public Decision decide(Observations obs) {
        Decision d = Decision.noChange(obs);
        var decided = new java.util.IdentityHashMap<Policy, Decision>();
        for (var e : byRole.entrySet()) {
            Decision part = decided.computeIfAbsent(e.getValue(), p -> p.decide(obs));
            d.copyRole(e.getKey(), part);
        }
        return d;
    }

    /** The fallbacks of each role's policy in the last decision, for the roles it decided here. */
    @Override
    public java.util.List<dev.cohort.policy.ModelFallback> lastTickFallbacks() {
        java.util.List<dev.cohort.policy.ModelFallback> out = new java.util.ArrayList<>();
        for (var e : byRole.entrySet()) {
            for (var f : e.getValue().lastTickFallbacks()) {
                if (f.role() == e.getKey()) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    /** Each distinct role policy's state, in role order. */
    @Override
    public Object saveState() {
        return byRole.values().stream().distinct().map(Policy::saveState).toArray();
    }

    @Override
    public void restoreState(Object state) {
        Object[] s = (Object[]) state;
        var distinct = byRole.values().stream().distinct().toList();
        for (int i = 0; i < distinct.size(); i++) {
            distinct.get(i).restoreState(s[i]);
        }
    }

    @Override
    public java.util.Optional<String> tickDifference(long tickMillis) {
        return byRole.values().stream().distinct().map(p -> p.tickDifference(tickMillis)).flatMap(java.util.Optional::stream)
                .findFirst();
    }

    @Override
    public void reset() {
        byRole.values().forEach(Policy::reset);
    }

    @Override
    public void close() {
        byRole.values().stream().distinct().forEach(Policy::close);
    }
}
