package dev.cohort.eval;

import dev.cohort.harness.SimHarness;
import dev.cohort.platform.Topology;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.policy.Policies;
import dev.cohort.policy.Policy;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place a policy name becomes a run on the simulated machine. Names any host understands go to
 * {@link Policies}; names only the simulator can serve are resolved here: {@code oracle} ({@link OraclePolicy}), which
 * searches copies of the simulated machine's state. A policy that needs the scenario itself (a best fixed setting per
 * scenario, say) belongs here too, next to the oracle, and in {@link #candidate} so the oracle tries it.
 */
public final class SimPolicies {
    private SimPolicies() {
    }

    /** True when {@code spec} names the oracle. */
    public static boolean isOracle(String spec) {
        return spec.strip().equals(OraclePolicy.NAME);
    }

    /** True when {@code spec} names a learned policy ({@code onnx:DIR}, {@code learned}). */
    public static boolean isLearned(String spec) {
        String s = spec.strip();
        return s.startsWith("onnx:") || s.equals("learned") || s.startsWith("learned,");
    }

    /** True when {@code spec} is a baseline for the oracle's gain: neither learned nor the oracle. */
    public static boolean isBaseline(String spec) {
        return !isOracle(spec) && !isLearned(spec);
    }

    /**
     * A run of {@code spec} on a fresh machine for {@code sc} and {@code seed}; the policy is closed with the harness.
     *
     * @param oracle how the oracle searches, when {@code spec} names it
     */
    public static SimHarness open(Scenario sc, long seed, String spec, SimHarness.Options o, OracleOptions oracle) {
        if (!isOracle(spec)) {
            return SimHarness.open(sc, seed, spec, o);
        }
        Topology t = SimHarness.machine(sc, seed).topology();
        List<Policy> lockStep = new ArrayList<>();
        try {
            for (String p : oracle.policies()) {
                lockStep.add(candidate(p, t));
            }
        } catch (RuntimeException e) {
            lockStep.forEach(Policy::close);
            throw e;
        }
        OraclePolicy p = new OraclePolicy(sc, o, oracle, lockStep);
        SimHarness h = SimHarness.openOwning(sc, seed, p, o);
        p.attach(h);
        return h;
    }

    /**
     * Builds and closes {@code spec} (and, for the oracle, each of its lock-step policies) for {@code sc}'s machine:
     * a misnamed policy fails at once with its one-line reason.
     */
    public static void check(String spec, Scenario sc, OracleOptions oracle) {
        Topology t = SimHarness.machine(sc, 1).topology();
        if (isOracle(spec)) {
            oracle.policies().forEach(p -> candidate(p, t).close());
        } else {
            try (Policy policy = Policies.create(spec, t)) {
                var why = policy.tickDifference(sc.tickNanos() / 1_000_000);
                if (why.isPresent()) {
                    throw new dev.cohort.platform.CohortException("scenario " + sc.name() + ": " + why.get());
                }
            }
        }
    }

    /** A policy the oracle runs in lock-step and whose decision each tick is one of its candidates. */
    static Policy candidate(String spec, Topology t) {
        if (isOracle(spec)) {
            throw new dev.cohort.platform.CohortException("the oracle cannot be one of its own candidates");
        }
        return Policies.create(spec, t);
    }
}
