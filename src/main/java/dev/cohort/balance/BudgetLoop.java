package dev.cohort.balance;

import dev.cohort.control.TickRecord;
import dev.cohort.harness.SimHarness;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.Signal;
import dev.cohort.platform.sim.SimMachine;

/**
 * A balancer beside a run on the simulated machine: after every tick it adds the tick to the budget's windows, and at
 * each window's end hands the window's mean measured power to the balancer. The judge ({@link BudgetWindows}) counts
 * the model's true energy, so a run is judged the same whatever the machine shows. Where the machine shows no RAPL, the
 * power the balancer sees is the cost estimator's ({@link dev.cohort.control.Controller#setPowerEstimator}), and the
 * figures say so ({@link BudgetFigures#powerSource}). Not thread-safe.
 */
public final class BudgetLoop implements AutoCloseable {
    /** The balancer's step by default, ns: MaRCA's update moment, and RAPL's usual averaging window. */
    public static final long DEFAULT_STEP_NANOS = 1_000_000_000L;
    /**
     * The highest λ a balancer may set by default: the shipped policy, priced by the split at κ = β/σ_r, gives up
     * power from λ ≈ 60 and reaches its lowest on every scenario by λ ≈ 1500 ({@code docs/balance.md}, "Policies follow
     * λ"); a λ_max short of that leaves power a budget may need out of reach.
     */
    public static final double DEFAULT_LAMBDA_MAX = 2000;

    /**
     * How to hold a budget.
     *
     * @param budget    the budget (a percent is of the same policy's mean power with no budget, same scenario and seed)
     * @param kind      which balancer
     * @param stepNanos the balancer's step: a whole number of ticks
     * @param lambdaMax the highest λ it may set
     */
    public record Options(BudgetSpec budget, BalancerKind kind, long stepNanos, double lambdaMax, Pricing pricing) {
        public Options(BudgetSpec budget, BalancerKind kind, long stepNanos, double lambdaMax) {
            this(budget, kind, stepNanos, lambdaMax, Pricing.DEFAULT);
        }

        public Options {
            if (stepNanos <= 0) {
                throw new IllegalArgumentException("balancer step must be positive");
            }
            if (!(lambdaMax >= 0) || Double.isInfinite(lambdaMax)) {
                throw new IllegalArgumentException("λ_max must be a number of at least 0, got " + lambdaMax);
            }
        }

        /** These options with {@code p}'s models and price. */
        public Options withPricing(Pricing p) {
            return new Options(budget, kind, stepNanos, lambdaMax, p);
        }

        /** True when this balancer moves λ (so a learned policy must follow it: {@link PricedPolicy}). */
        public boolean movesLambda() {
            return kind == BalancerKind.PI || kind == BalancerKind.MPC;
        }

        /** {@code budget} held by {@code kind} at the default step and λ_max. */
        public static Options of(BudgetSpec budget, BalancerKind kind) {
            return new Options(budget, kind, DEFAULT_STEP_NANOS, DEFAULT_LAMBDA_MAX);
        }

        /**
         * Why this cannot run at a tick of {@code tickNanos}, or null.
         */
        public String refuse(long tickNanos) {
            if (stepNanos < tickNanos || stepNanos % tickNanos != 0) {
                return String.format(java.util.Locale.ROOT, "the balancer step (%d ms) must be a whole number of ticks"
                        + " (%d ms) and not shorter than one", stepNanos / 1_000_000, tickNanos / 1_000_000);
            }
            return null;
        }
    }

    /**
     * What the balancers that move λ need: the dynamics model ({@code mpc}), the cost model that prices each agent's
     * levels ({@link PricedPolicy}) and the price scale κ.
     *
     * @param dynamics   the dynamics model file or directory
     * @param costModel  the cost estimator's directory
     * @param priceScale κ, Q units per share of TDP held one tick
     * @param mpc        the MPC's objective and solver
     */
    public record Pricing(java.nio.file.Path dynamics, java.nio.file.Path costModel, double priceScale, MpcOptions mpc) {
        /** The shipped models under {@code cohort.home}, the default κ and MaRCA's MPC settings. */
        public static final Pricing DEFAULT = new Pricing(shipped("dynamics"), shipped("cost"),
                PricedPolicy.DEFAULT_PRICE_SCALE, MpcOptions.DEFAULT);

        private static java.nio.file.Path shipped(String name) {
            return java.nio.file.Path.of(System.getProperty("cohort.home", ".")).resolve("models").resolve(name);
        }

        /**
         * The defaults with what a command line gave (null: the default).
         *
         * @throws IllegalArgumentException naming the option when a κ or a margin is out of range
         */
        public static Pricing of(java.nio.file.Path dynamics, Double priceScale, Double mpcMargin) {
            Pricing p = DEFAULT;
            if (dynamics != null) {
                p = p.withDynamics(dynamics);
            }
            if (priceScale != null) {
                if (!(priceScale >= 0) || priceScale.isInfinite()) {
                    throw new IllegalArgumentException("--price-scale must be a number of at least 0, got " + priceScale);
                }
                p = p.withPriceScale(priceScale);
            }
            if (mpcMargin != null) {
                if (!(mpcMargin >= 0 && mpcMargin < 1)) {
                    throw new IllegalArgumentException("--mpc-margin must be a share in [0, 1), got " + mpcMargin);
                }
                p = p.withMpc(p.mpc().withMargin(mpcMargin));
            }
            return p;
        }

        public Pricing withDynamics(java.nio.file.Path p) {
            return new Pricing(p, costModel, priceScale, mpc);
        }

        public Pricing withCostModel(java.nio.file.Path p) {
            return new Pricing(dynamics, p, priceScale, mpc);
        }

        public Pricing withPriceScale(double k) {
            return new Pricing(dynamics, costModel, k, mpc);
        }

        public Pricing withMpc(MpcOptions m) {
            return new Pricing(dynamics, costModel, priceScale, m);
        }
    }

    private final SimHarness harness;
    private final Balancer balancer;
    private final BudgetWindows judge;
    private double lastTrueJoules;
    private long ticksSeen;
    private double measuredJoules;
    private double measuredSeconds;
    /** What the balancer sees: measured (RAPL) or the estimator's source line. */
    private final String powerSource;

    private BudgetLoop(SimHarness harness, Balancer balancer, BudgetWindows judge, String powerSource) {
        this.harness = harness;
        this.powerSource = powerSource;
        this.balancer = balancer;
        this.judge = judge;
        this.lastTrueJoules = harness.machine().trueEnergyJoules();
    }

    /**
     * Starts {@code o}'s balancer on {@code h} for a budget of {@code budgetWatts} (a {@code governor} balancer needs
     * the harness's governor built with that budget).
     *
     * @throws CohortException when the balancer cannot run here (a step that is no whole number of ticks, no measured
     *                         package power, no power limit to set)
     */
    public static BudgetLoop start(SimHarness h, Options o, double budgetWatts) {
        long tick = h.scenario().tickNanos();
        String why = o.refuse(tick);
        if (why != null) {
            throw new CohortException(why);
        }
        SimMachine m = h.machine();
        boolean measured = m.capabilities().has(Signal.PKG_ENERGY_UJ);
        if (!measured && h.controller().powerEstimator() == null) {
            throw new CohortException("balancer " + o.kind().key() + " needs the package power, and this machine has"
                    + " none (" + m.capabilities().signal(Signal.PKG_ENERGY_UJ).reason() + ") and no cost estimator to stand"
                    + " in for it: give --cost-model DIR (cohort cost train makes one; models/cost ships one)");
        }
        double floor = h.controller().lambda();
        Balancer b = switch (o.kind()) {
            case PI -> PiBalancer.scaled(budgetWatts, floor, Math.max(floor, o.lambdaMax()));
            case RAPL -> new RaplBalancer(budgetWatts, o.stepNanos() / 1000, () -> throttled(m));
            case GOVERNOR -> new GovernorBalancer(budgetWatts);
            case MPC -> mpc(h, o, budgetWatts, floor);
        };
        b.start(m, h.controller());
        return new BudgetLoop(h, b, new BudgetWindows(budgetWatts, o.stepNanos() / 1e9),
                measured ? "measured" : h.controller().powerEstimator().source());
    }

    private static MpcBalancer mpc(SimHarness h, Options o, double budgetWatts, double floor) {
        DynamicsModel model = DynamicsModel.open(o.pricing().dynamics());
        long stepMillis = o.stepNanos() / 1_000_000;
        if (model.windowMillis() != stepMillis) {
            model.close();
            throw new CohortException(model.file() + " was trained at a balancer step of " + model.windowMillis()
                    + " ms, not " + stepMillis + " ms (use --balancer-step " + model.windowMillis() + "ms or retrain it)");
        }
        if (o.lambdaMax() > model.lambdaMax() + 1e-9) {
            model.close();
            throw new CohortException("λ_max " + o.lambdaMax() + " is above the " + model.lambdaMax() + " the dynamics model "
                    + model.file() + " was trained over (use --lambda-max " + model.lambdaMax() + " or less)");
        }
        String kappa = model.priceScaleDifference(o.pricing().priceScale(), "--price-scale");
        if (kappa != null) {
            model.close();
            throw new CohortException(kappa);
        }
        // where the machine hides its energy counter, the estimate's error comes on top of the forecast's
        MpcOptions mo = o.pricing().mpc().onPower(h.machine().capabilities().has(Signal.PKG_ENERGY_UJ));
        return new MpcBalancer(budgetWatts, h.machine().peakPackageWatts(), floor, Math.max(floor, o.lambdaMax()), model,
                mo, (int) (o.stepNanos() / h.scenario().tickNanos()));
    }

    private static boolean throttled(SimMachine m) {
        long top = m.scenario().machine().dvfs().maxKhz();
        for (int p = 0; p < m.topology().packageCount(); p++) {
            if (m.powerLimitCeilingKhz(p) < top) {
                return true;
            }
        }
        return false;
    }

    /**
     * After each tick of the run. The first tick is left out of the windows and not shown to the balancer: the machine
     * ran it under the knobs as found, before the controller's first decision, so no balancer could have moved it
     * ({@link #judgesTick}).
     */
    public void afterTick(TickRecord r) {
        double now = harness.machine().trueEnergyJoules();
        double joules = now - lastTrueJoules;
        lastTrueJoules = now;
        if (!judgesTick(ticksSeen++)) {
            balancer.begin(r, harness.controller());
            return;
        }
        balancer.tick(r, harness.controller());
        if (!Double.isNaN(r.packageWatts())) { // the estimator's first tick has no estimate yet
            measuredJoules += r.packageWatts() * r.seconds();
            measuredSeconds += r.seconds();
        }
        double closed = judge.add(joules, r.seconds(), balancer.binding(r, harness.controller()), harness.controller().lambda());
        if (!Double.isNaN(closed) && measuredSeconds > 0) {
            balancer.window(measuredJoules / measuredSeconds, harness.machine(), harness.controller());
            measuredJoules = 0;
            measuredSeconds = 0;
        }
    }

    /**
     * Whether the budget's judge counts the run's tick {@code index} (from 0): every tick but the first, which a
     * harness runs before the controller's first decision (the host as found).
     */
    public static boolean judgesTick(long index) {
        return index > 0;
    }

    /** Releases what the balancer holds (the dynamics model). */
    @Override
    public void close() {
        balancer.close();
    }

    /** The balancer this loop runs. */
    public Balancer balancer() {
        return balancer;
    }

    /** The run's figures so far. */
    public BudgetFigures figures() {
        return judge.figures(balancer.kind().key()).withPowerSource(powerSource);
    }
}
