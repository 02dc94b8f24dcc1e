package dev.cohort.eval;

import dev.cohort.balance.BudgetLoop;
import dev.cohort.balance.PricedPolicies;
import dev.cohort.control.ControllerConfig;
import dev.cohort.platform.sim.SimMachine;
import dev.cohort.policy.Decision;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import dev.cohort.policy.RoleObservations;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A policy that follows λ ({@link dev.cohort.balance.PricedPolicy}) deciding at a fixed price whatever λ its run
 * shows: what the {@code pi} and {@code mpc} rivals would decide at that price. The oracle runs a few of these in
 * lock-step under a budget (its own run keeps the default λ), so their decisions are among its candidates. The
 * observations are put back as they were after each decision, for the next lock-step policy. Not thread-safe.
 */
final class PricedAt implements Policy {
    /** How many prices the oracle tries: spread geometrically from λ_max / {@value #SPAN} to λ_max. */
    static final int PRICES = 4;
    static final double SPAN = 40;

    private final Policy priced;
    private final double lambda;

    private PricedAt(Policy priced, double lambda) {
        this.priced = priced;
        this.lambda = lambda;
    }

    /**
     * {@code spec}'s policy priced by {@code pricing} at {@value #PRICES} prices from λ_max / {@value #SPAN} to
     * {@code lambdaMax}, one instance each (a recurrent model keeps its own state).
     *
     * @throws dev.cohort.platform.CohortException when {@code spec} cannot be priced (not learned, no cost model)
     */
    static List<Policy> of(String spec, SimMachine machine, ControllerConfig base, BudgetLoop.Pricing pricing,
                           double lambdaMax) {
        List<Policy> out = new ArrayList<>();
        try {
            for (int i = 0; i < PRICES; i++) {
                double l = lambdaMax * Math.pow(SPAN, -(double) (PRICES - 1 - i) / (PRICES - 1));
                out.add(new PricedAt(PricedPolicies.open(spec, machine, base, pricing, lambdaMax), l));
            }
        } catch (RuntimeException e) {
            out.forEach(Policy::close);
            throw e;
        }
        return out;
    }

    @Override
    public String name() {
        return priced.name() + "@λ=" + lambda;
    }

    @Override
    public Decision decide(Observations obs) {
        List<double[]> saved = new ArrayList<>();
        for (Role r : Role.values()) {
            RoleObservations ro = obs.role(r);
            if (ro.agents() == 0) {
                continue;
            }
            ObservationSpec spec = ro.spec();
            int f = spec.index("g_lambda");
            double scale = spec.definitions().get(f).scale();
            double[] was = new double[ro.agents()];
            for (int a = 0; a < ro.agents(); a++) {
                was[a] = ro.get(a, f);
                ro.set(a, f, lambda / scale);
            }
            saved.add(was);
        }
        try {
            return priced.decide(obs);
        } finally {
            int k = 0;
            for (Role r : Role.values()) {
                RoleObservations ro = obs.role(r);
                if (ro.agents() == 0) {
                    continue;
                }
                int f = ro.spec().index("g_lambda");
                double[] was = saved.get(k++);
                for (int a = 0; a < ro.agents(); a++) {
                    ro.set(a, f, was[a]);
                }
            }
        }
    }

    @Override
    public Optional<String> tickDifference(long tickMillis) {
        return priced.tickDifference(tickMillis);
    }

    @Override
    public void reset() {
        priced.reset();
    }

    @Override
    public void close() {
        priced.close();
    }
}
