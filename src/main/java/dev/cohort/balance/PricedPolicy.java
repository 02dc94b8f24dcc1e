package dev.cohort.balance;

import dev.cohort.platform.CohortException;
import dev.cohort.policy.Decision;
import dev.cohort.policy.ModelContract;
import dev.cohort.policy.ModelFallback;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Observations;
import dev.cohort.policy.OnnxPolicy;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import dev.cohort.policy.RoleObservations;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;

/**
 * A learned policy that follows the energy price λ by MaRCA's split of value and cost: each agent takes
 * {@code argmax_l [Q(o, l) − κ·(λ − λ₀)·Ĉ(l)/TDP]}, where Q is the network's value at the λ₀ it was trained at, Ĉ(l)
 * the package power the cost estimator predicts if that agent alone moved to level l, and κ the price scale: Q units
 * per share of TDP held for one tick. The network itself always sees λ₀ (the only price it was trained at, so its
 * values are never asked about prices it has not seen); the balancer's λ reaches the decision only through the price.
 * For a fixed state an agent's chosen power can only fall as λ rises (a Lagrangian argmax), so one number moves every
 * agent the same way. At λ = λ₀ it decides exactly as the network alone. Not thread-safe.
 */
public final class PricedPolicy implements Policy {
    /**
     * κ by default: Q units per share of TDP for one tick, β/σ_r. The agents learn on standardised rewards, and one tick
     * at power P costs {@code β·λ·P/TDP} in raw reward, so a TDP share held one tick is worth β/σ_r in their values;
     * σ_r = 4.8 is the reward's standard deviation per tick of the shipped policy over five training scenarios
     * (colocation, membw, diurnal, trace, steady; seed 1000, 60 s each; {@code docs/balance.md}), with β = 1.
     */
    public static final double DEFAULT_PRICE_SCALE = 1 / 4.8;
    /** The same, for help texts. */
    public static final String DEFAULT_PRICE_SCALE_TEXT = "0.208 (β/σ_r = 1/4.8)";

    private final OnnxPolicy inner;
    private final LevelCost cost;
    private final double trainedLambda;
    private final double priceScale;
    private final double tdpWatts;
    private final EnumMap<Role, int[]> lambdaIndex = new EnumMap<>(Role.class);
    private double lastLambda = Double.NaN;

    /**
     * @param inner         a learned policy whose models output values per level (argmax decoding)
     * @param cost          the power each level would draw
     * @param trainedLambda λ₀, the λ its models were trained at
     * @param priceScale    κ, Q units per TDP share held one tick, at least 0
     * @param tdpWatts      the host's TDP, W
     * @throws CohortException when a model decodes fractions (an actor has no values to price)
     */
    public PricedPolicy(OnnxPolicy inner, LevelCost cost, double trainedLambda, double priceScale, double tdpWatts) {
        if (!(priceScale >= 0) || !(tdpWatts > 0)) {
            throw new IllegalArgumentException("price scale must be ≥ 0 and TDP > 0, got " + priceScale + ", " + tdpWatts);
        }
        for (Role r : inner.modelRoles()) {
            ModelContract c = inner.contract(r).orElseThrow();
            if (c.decoding() != ModelContract.Decoding.ARGMAX) {
                throw new CohortException(inner.name() + ": the " + r.id() + " model (" + c.algorithm() + ") outputs "
                        + c.decoding().name().toLowerCase(java.util.Locale.ROOT) + "s, not values per level, so it cannot"
                        + " be priced; use a value-based model (iql, vdn, qmix, awrq) to follow λ");
            }
        }
        this.inner = inner;
        this.cost = cost;
        this.trainedLambda = trainedLambda;
        this.priceScale = priceScale;
        this.tdpWatts = tdpWatts;
    }

    @Override
    public String name() {
        return inner.name();
    }

    /** The λ of the last decision (NaN before the first). */
    public double lastLambda() {
        return lastLambda;
    }

    @Override
    public Decision decide(Observations obs) {
        double lambda = swapLambda(obs, trainedLambda);
        lastLambda = lambda;
        Decision d;
        try {
            d = inner.decide(obs);
        } finally {
            swapLambda(obs, lambda);
        }
        double price = priceScale * (lambda - trainedLambda) / tdpWatts;
        if (price == 0) {
            return d;
        }
        for (Role r : inner.modelRoles()) {
            float[] q = inner.lastOutputs(r);
            RoleObservations ro = obs.role(r);
            if (q.length == 0 || ro.agents() == 0) {
                continue; // the baseline decided this role this tick
            }
            double[][] watts = cost.levelWatts(obs, r, d);
            if (watts.length != ro.agents()) {
                continue;
            }
            int levels = q.length / ro.agents();
            int[] out = d.levels(r);
            for (int a = 0; a < ro.agents(); a++) {
                if (watts[a].length != levels) {
                    continue;
                }
                int best = 0;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int l = 0; l < levels; l++) {
                    double score = q[a * levels + l] - price * watts[a][l];
                    if (score > bestScore) {
                        bestScore = score;
                        best = l;
                    }
                }
                out[a] = best;
            }
        }
        return d;
    }

    /** Puts {@code lambda} into every agent's λ feature and returns the λ that was there. */
    private double swapLambda(Observations obs, double lambda) {
        double was = Double.NaN;
        for (Role r : Role.values()) {
            RoleObservations ro = obs.role(r);
            if (ro.agents() == 0) {
                continue;
            }
            ObservationSpec spec = ro.spec();
            int f = lambdaIndex.computeIfAbsent(r, k -> new int[] {spec.index("g_lambda")})[0];
            double scale = spec.definitions().get(f).scale();
            for (int a = 0; a < ro.agents(); a++) {
                if (Double.isNaN(was)) {
                    was = ro.get(a, f) * scale;
                }
                ro.set(a, f, lambda / scale);
            }
        }
        return Double.isNaN(was) ? trainedLambda : was;
    }

    @Override
    public List<ModelFallback> lastTickFallbacks() {
        return inner.lastTickFallbacks();
    }

    @Override
    public Optional<String> tickDifference(long tickMillis) {
        return inner.tickDifference(tickMillis);
    }

    @Override
    public void reset() {
        inner.reset();
        lastLambda = Double.NaN;
    }

    @Override
    public Object saveState() {
        return inner.saveState();
    }

    @Override
    public void restoreState(Object state) {
        inner.restoreState(state);
    }

    /** Closes the learned policy, and the cost model when it holds one (an ONNX session). */
    @Override
    public void close() {
        inner.close();
        if (cost instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new CohortException("closing the cost model: " + e.getMessage(), e);
            }
        }
    }
}
