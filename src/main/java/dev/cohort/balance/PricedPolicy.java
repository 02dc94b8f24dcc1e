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
 * {@code argmax_l [Q(o, l) − κ·(λ − λ₀)·Ĉ(l)/TDP]}, where Q is the network's value at the λ₀ it sees, Ĉ(l)
 * the package power the cost estimator predicts if that agent alone moved to level l, and κ the price scale: Q units
 * per share of TDP held for one tick. The network sees λ only within the range it was trained over (its contract's
 * λ range; a model that records none was trained at the controller's λ): λ₀ = λ clamped to that range, so its values
 * are never asked about prices it has not seen, and only the part of λ beyond the range reaches the decision as a price.
 * For a fixed state an agent's chosen power can only fall as λ rises (a Lagrangian argmax), so one number moves every
 * agent the same way. At λ = λ₀ it decides exactly as the network alone. Under a price it sets an order of giving up
 * power: the cores first, a service's own within its slack ({@link #priceWeight}); the best-effort knobs only when a
 * service is far past its SLO ({@link #BE_YIELD_SLACK}), and never upwards while one is past it
 * ({@link #highestLevel}); the domains serving a latency-critical service move steadily and evenly
 * ({@link #LC_MAX_STEP}, {@link #evenOut}). Not thread-safe.
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
    /**
     * The latency slack at and above which a frequency domain serving a latency-critical service pays the full price;
     * below it the price falls linearly to {@link #SLO_PRICE_FLOOR} at zero slack (the service at its SLO).
     */
    public static final double FULL_PRICE_SLACK = 0.25;
    /**
     * The share of the price a domain serving a latency-critical service pays at or past its SLO: what makes the
     * domains serving no service (the batch job's cores) give up power first.
     */
    public static final double SLO_PRICE_FLOOR = 0.2;
    /**
     * How the discount fades as λ nears λ_max: the LC domain's share of the price is at least ((λ − λ₀)/(λ_max − λ₀))
     * to this power, so that at λ_max every agent pays in full and the lowest power the priced policy reaches is the
     * undiscounted one (a budget any price can hold, λ_max holds).
     */
    public static final double DISCOUNT_FADE_EXPONENT = 3;
    /**
     * Under a price, the most levels a frequency domain serving a latency-critical service moves in one tick. The
     * network's values are nearly flat across levels, so a small change in λ or slack moves the priced argmax by several
     * levels; unlimited, such domains swung between 1.6 and 3.0 GHz from tick to tick, and the service's queue followed
     * the slow ticks (docs/balance.md, "Even and steady").
     */
    public static final int LC_MAX_STEP = 1;
    /**
     * The slack (1 − latency/SLO) below which a best-effort knob (a quota, a memory-bandwidth share) gives up power for
     * the price: at or above it the knob keeps at least the network's own choice at λ₀. Its work is value, and RAPL,
     * which caps only frequency, leaves it alone; giving it up first lost a streaming job three fifths of its work on
     * {@code membw} at 85% of its power to spare a service that was inside its SLO. Past 1.5 times the SLO the service
     * needs the memory bandwidth and CPU time back, and the knob pays the price like every agent (docs/balance.md).
     */
    public static final double BE_YIELD_SLACK = -0.5;

    private final OnnxPolicy inner;
    private final LevelCost cost;
    private final double trainedLambda;
    private final double trainedLambdaLow;
    private final double priceScale;
    private final double tdpWatts;
    private final double lambdaMax;
    private final int[] serviceGroups;

    private final EnumMap<Role, int[]> lambdaIndex = new EnumMap<>(Role.class);
    private final EnumMap<Role, int[]> beIndex = new EnumMap<>(Role.class);
    private int coreLcShare = -1;
    private int coreLcSlack = -1;
    private double lastLambda = Double.NaN;

    /**
     * @param inner         a learned policy whose models output values per level (argmax decoding)
     * @param cost          the power each level would draw
     * @param trainedLambda the λ its models were trained at, when their contract records no λ range
     * @param priceScale    κ, Q units per TDP share held one tick, at least 0
     * @param tdpWatts      the host's TDP, W
     * @param lambdaMax     the highest λ its balancer may set, where every agent pays the full price (at or under λ₀:
     *                      always the full price)
     * @param serviceGroups per core agent, the group of agents serving the same latency-critical services, -1 for none
     *                      ({@link dev.cohort.control.AgentLayout#coreServiceGroups()}); null or shorter than the role:
     *                      no agent's levels are evened out with its group's
     * @throws CohortException when a model decodes fractions (an actor has no values to price)
     */
    public PricedPolicy(OnnxPolicy inner, LevelCost cost, double trainedLambda, double priceScale, double tdpWatts,
                        double lambdaMax, int[] serviceGroups) {
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
        ModelContract c = inner.modelRoles().stream().map(r -> inner.contract(r).orElseThrow())
                .filter(ModelContract::hasLambdaRange).findFirst().orElse(null);
        this.trainedLambdaLow = c != null ? c.lambdaLow() : trainedLambda;
        this.trainedLambda = c != null ? c.lambdaHigh() : trainedLambda;
        this.priceScale = priceScale;
        this.tdpWatts = tdpWatts;
        this.lambdaMax = lambdaMax;
        this.serviceGroups = serviceGroups == null ? new int[0] : serviceGroups.clone();
    }

    @Override
    public String name() {
        return inner.name();
    }

    /** The learned policy it prices (its outputs of the last decision are the values at λ₀). */
    OnnxPolicy inner() {
        return inner;
    }

    /** The λ of the last decision (NaN before the first). */
    public double lastLambda() {
        return lastLambda;
    }

    @Override
    public Decision decide(Observations obs) {
        double lambda = swapLambda(obs, Double.NaN);
        double seen = Math.clamp(lambda, trainedLambdaLow, trainedLambda); // within the range the network was trained over
        swapLambda(obs, seen);
        lastLambda = lambda;
        Decision d;
        try {
            d = inner.decide(obs);
        } finally {
            swapLambda(obs, lambda);
        }
        double price = priceScale * (lambda - seen) / tdpWatts;
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
                double agentPrice = price * priceWeight(ro, r, a);
                int top = price > 0 ? highestLevel(ro, r, a, levels) : levels - 1;
                int low = 0;
                if (price > 0 && r != Role.CORE && beSlack(ro, r, a) >= BE_YIELD_SLACK) {
                    low = Math.min(out[a], top); // keeps the network's own choice (out[a] is still it here)
                }
                if (price > 0 && servesService(ro, r, a)) {
                    int now = ro.currentLevel(a);
                    low = Math.max(0, now - LC_MAX_STEP);
                    top = Math.min(top, now + LC_MAX_STEP);
                }
                for (int l = low; l <= top; l++) {
                    double score = q[a * levels + l] - agentPrice * watts[a][l];
                    if (score > bestScore) {
                        bestScore = score;
                        best = l;
                    }
                }
                out[a] = best;
            }
            if (r == Role.CORE && price > 0) {
                evenOut(serviceGroups, out, levels);
            }
        }
        return d;
    }

    /** Whether agent {@code a} is a frequency domain with CPUs of a latency-critical service. */
    private boolean servesService(RoleObservations ro, Role r, int a) {
        if (r != Role.CORE) {
            return false;
        }
        if (coreLcShare < 0) {
            coreLcShare = ro.spec().index("lc_share");
            coreLcSlack = ro.spec().index("lc_slack");
        }
        return ro.get(a, coreLcShare) > 0;
    }

    /**
     * Under a price, the domains serving the same latency-critical services take levels within one of each other with
     * the sum of their priced choices (those that chose higher keep the extra levels), as RAPL's cap holds every core at
     * one frequency: power is convex in frequency, so an even spread draws no more than the choices it replaces, and the
     * service's tail is set by its slowest cores. A domain found far from its group's others (the first priced tick)
     * may move more than {@link #LC_MAX_STEP} in that tick.
     */
    static void evenOut(int[] serviceGroups, int[] levels, int levelCount) {
        if (serviceGroups.length != levels.length) {
            return;
        }
        int groups = java.util.Arrays.stream(serviceGroups).max().orElse(-1) + 1;
        for (int g = 0; g < groups; g++) {
            List<Integer> members = new java.util.ArrayList<>();
            for (int a = 0; a < levels.length; a++) {
                if (serviceGroups[a] == g) {
                    members.add(a);
                }
            }
            if (members.isEmpty()) {
                continue;
            }
            long sum = 0;
            for (int a : members) {
                sum += levels[a];
            }
            int base = (int) (sum / members.size());
            int extra = (int) (sum - (long) base * members.size());
            members.sort((x, y) -> levels[y] != levels[x] ? Integer.compare(levels[y], levels[x]) : Integer.compare(x, y));
            for (int i = 0; i < members.size(); i++) {
                levels[members.get(i)] = Math.min(levelCount - 1, base + (i < extra ? 1 : 0));
            }
        }
    }

    /**
     * The share of the price agent {@code a} pays: 1, except a frequency domain serving a latency-critical service,
     * whose share falls with its slack ({@link #FULL_PRICE_SLACK}, {@link #SLO_PRICE_FLOOR}). The SLO term dominates
     * the reward; the network's values say so only where it was trained, and a price far above λ₀ drives states it
     * never saw (a service's queue growing without bound), where its values no longer rank slowing the service's cores
     * below throttling the batch job. So the order of giving up power is set here: a service's cores pay less the
     * nearer it is to its SLO.
     */
    double priceWeight(RoleObservations ro, Role r, int a) {
        if (!servesService(ro, r, a)) {
            return 1;
        }
        double slack = ro.get(a, coreLcSlack);
        double full = Math.max(Math.clamp(slack / FULL_PRICE_SLACK, 0, 1), fade());
        return SLO_PRICE_FLOOR + (1 - SLO_PRICE_FLOOR) * full;
    }

    /** How far the slack discount has faded at the last λ: 0 at λ₀, 1 at λ_max ({@link #DISCOUNT_FADE_EXPONENT}). */
    private double fade() {
        double range = lambdaMax - trainedLambda;
        return range > 0 ? Math.pow(Math.clamp((lastLambda - trainedLambda) / range, 0, 1), DISCOUNT_FADE_EXPONENT) : 1;
    }

    /**
     * The highest level agent {@code a} may take under a price: a best-effort knob (a quota, a memory-bandwidth share)
     * does not rise while a latency-critical service it shares CPUs or a memory domain with is past its SLO. Under a
     * price the cores run slower than the network was trained with, and a queue that has started to grow drains only
     * when the best-effort side holds back; the network, never having seen such states, may not.
     */
    int highestLevel(RoleObservations ro, Role r, int a, int levels) {
        if (r == Role.CORE) {
            return levels - 1;
        }
        if (beSlack(ro, r, a) >= 0) {
            return levels - 1;
        }
        return (int) Math.clamp(Math.round(ro.get(a, beIndex(ro, r)[1]) * (levels - 1)), 0, levels - 1);
    }

    /** The lowest slack of the services sharing best-effort agent {@code a}'s CPUs or memory domain (1 when none). */
    private double beSlack(RoleObservations ro, Role r, int a) {
        return ro.get(a, beIndex(ro, r)[0]);
    }

    private int[] beIndex(RoleObservations ro, Role r) {
        return beIndex.computeIfAbsent(r, k -> new int[] {ro.spec().index("lc_slack"),
                ro.spec().index(k == Role.QUOTA ? "quota_level" : "mba_level")});
    }

    /** Puts {@code lambda} into every agent's λ feature (NaN: only reads it) and returns the λ that was there. */
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
                if (!Double.isNaN(lambda)) {
                    ro.set(a, f, lambda / scale);
                }
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
