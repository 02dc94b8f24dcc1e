package dev.cohort.eval;

import dev.cohort.harness.oracle.OracleOptions;
import dev.cohort.balance.BalancerKind;
import dev.cohort.balance.BudgetLoop;
import dev.cohort.balance.cost.CostModel;
import dev.cohort.balance.BudgetSpec;
import dev.cohort.balance.PricedPolicies;
import dev.cohort.balance.PricedPolicy;
import dev.cohort.control.ControllerConfig;
import dev.cohort.control.GovernorConfig;
import dev.cohort.control.Journal;
import dev.cohort.control.TickRecord;
import dev.cohort.harness.SimHarness;
import dev.cohort.platform.TelemetryInterval;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.SimMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Runs one scenario under one policy on the simulated machine ({@link SimHarness}, the same control tick as the
 * daemon) and keeps what {@code simulate} and {@code evaluate} report.
 */
public final class SimRunner {
    private SimRunner() {
    }

    /**
     * How to run.
     *
     * @param durationNanos run length; 0 or less for the scenario's own
     * @param governor      safety limits (see {@link #EVALUATION_GOVERNOR})
     * @param journal       where tick decisions go
     * @param keepTimeline  keep the per-tick series
     * @param progress      called after each tick with the tick count (may be null)
     * @param oracle        how the oracle searches, when a run's policy is {@code oracle}
     * @param budget        a power budget and the balancer that holds it (null: none)
     */
    public record Options(long durationNanos, GovernorConfig governor, Journal journal, boolean keepTimeline,
                          LongConsumer progress, OracleOptions oracle, BudgetLoop.Options budget,
                          java.nio.file.Path costModel) {
        /** The scenario's length, the evaluation governor, no journal, a timeline, the oracle's defaults, no budget. */
        public static Options defaults() {
            return new Options(0, EVALUATION_GOVERNOR, Journal.NONE, true, null, OracleOptions.DEFAULT, null, null);
        }

        public Options withDuration(long nanos) {
            return new Options(nanos, governor, journal, keepTimeline, progress, oracle, budget, costModel);
        }

        public Options withGovernor(GovernorConfig g) {
            return new Options(durationNanos, g, journal, keepTimeline, progress, oracle, budget, costModel);
        }

        public Options withJournal(Journal j) {
            return new Options(durationNanos, governor, j, keepTimeline, progress, oracle, budget, costModel);
        }

        public Options withProgress(LongConsumer p) {
            return new Options(durationNanos, governor, journal, keepTimeline, p, oracle, budget, costModel);
        }

        public Options withTimeline(boolean keep) {
            return new Options(durationNanos, governor, journal, keep, progress, oracle, budget, costModel);
        }

        public Options withOracle(OracleOptions o) {
            return new Options(durationNanos, governor, journal, keepTimeline, progress, o, budget, costModel);
        }

        /**
         * The cost model that predicts power each tick and stands in for RAPL where the machine shows none (null: the
         * shipped {@code models/cost} when the scenario hides RAPL and it exists, else none).
         */
        public Options withCostModel(java.nio.file.Path dir) {
            return new Options(durationNanos, governor, journal, keepTimeline, progress, oracle, budget, dir);
        }

        public Options withBudget(BudgetLoop.Options b) {
            return new Options(durationNanos, governor, journal, keepTimeline, progress, oracle, b, costModel);
        }
    }

    /**
     * The governor used when comparing policies: every bound, floor, step limit and dead band, but no SLO
     * override, so that each policy is judged on its own decisions (with the override on, every policy
     * would borrow slo-guard's reflexes). The daemon runs with {@link GovernorConfig#DEFAULT} (override on).
     */
    public static final GovernorConfig EVALUATION_GOVERNOR = GovernorConfig.EVALUATION;

    /**
     * The run's harness: a learned policy under a balancer that moves λ follows it through MaRCA's split
     * ({@link PricedPolicy}); every other policy runs as named.
     */
    private static SimHarness open(Scenario sc, long seed, String policySpec, SimHarness.Options ho, Options o) {
        if (o.budget() != null && o.budget().movesLambda() && SimPolicies.isLearned(policySpec)) {
            var p = PricedPolicies.open(policySpec, SimHarness.machine(sc, seed), ho.base(), o.budget().pricing(),
                    o.budget().lambdaMax());
            return SimHarness.openOwning(sc, seed, p, ho);
        }
        return SimPolicies.open(sc, seed, policySpec, ho, o.oracle());
    }

    /**
     * The cost model the run uses, bound to its machine and set on its controller, or null: the one {@code o} names, else
     * the shipped one where the scenario hides RAPL (and it is there).
     */
    private static CostModel costModel(SimHarness h, Options o) {
        java.nio.file.Path dir = o.costModel();
        if (dir == null && !h.scenario().machine().rapl()
                && java.nio.file.Files.isRegularFile(CostModel.defaultDir().resolve(CostModel.FILE))) {
            dir = CostModel.defaultDir();
        }
        if (dir == null) {
            return null;
        }
        CostModel cm = CostModel.load(dir).bind(h.controller().layout(), h.machine().peakPackageWatts());
        h.controller().setPowerEstimator(cm);
        return cm;
    }

    /** The simulator's true mean package power of a run without a budget, W (where the machine shows no RAPL). */
    private static double trueMeanWatts(Scenario sc, String policySpec, long seed, Options o) {
        long ticks = ticks(sc, o);
        try (SimHarness h = SimPolicies.open(sc, seed, policySpec, new SimHarness.Options(ControllerConfig.DEFAULT,
                o.governor(), Journal.NONE), o.oracle())) {
            double start = h.machine().trueEnergyJoules();
            for (long i = 0; i < ticks; i++) {
                h.step();
            }
            return (h.machine().trueEnergyJoules() - start) / (ticks * sc.tickNanos() / 1e9);
        }
    }

    /** Ticks a run of the scenario with these options takes. */
    public static long ticks(Scenario sc, Options o) {
        return SimHarness.ticks(sc, o.durationNanos());
    }

    /**
     * Runs {@code policySpec} on {@code sc} with {@code seed} ({@link SimPolicies} resolves the name). With a budget
     * given as a percent, the same policy first runs without one, and the budget is that percent of its mean power.
     *
     * @throws dev.cohort.platform.CohortException when the budget cannot be held here (see {@link BudgetLoop#start})
     */
    public static RunResult run(Scenario sc, String policySpec, long seed, Options o) {
        double budgetWatts = Double.NaN;
        GovernorConfig governor = o.governor();
        if (o.budget() != null) {
            String why = o.budget().refuse(sc.tickNanos());
            if (why != null) {
                throw new dev.cohort.platform.CohortException(why);
            }
            double reference = Double.NaN;
            if (o.budget().budget() instanceof BudgetSpec.Percent) {
                RunResult free = run(sc, policySpec, seed, o.withBudget(null).withTimeline(false).withProgress(null)
                        .withJournal(Journal.NONE));
                reference = free.metrics().meanPowerWatts();
                if (Double.isNaN(reference)) { // RAPL hidden: the simulator still knows what the policy drew
                    reference = trueMeanWatts(sc, policySpec, seed, o);
                }
            }
            budgetWatts = o.budget().budget().watts(reference);
            if (!(budgetWatts > 0)) {
                throw new dev.cohort.platform.CohortException("power budget " + o.budget().budget() + " of "
                        + reference + " W is no power to hold (the machine measures none without RAPL)");
            }
            double idle = SimHarness.machine(sc, seed).idlePackageWatts();
            if (budgetWatts < idle) {
                throw new dev.cohort.platform.CohortException(String.format(java.util.Locale.ROOT, "--power-budget %s"
                        + " is %.1f W, below this machine's idle power %.1f W (give at least %.1f W)", o.budget().budget(),
                        budgetWatts, idle, idle));
            }
            if (o.budget().kind() == BalancerKind.GOVERNOR) {
                governor = governor.withPowerBudget(budgetWatts);
            }
        }
        long ticks = ticks(sc, o);
        List<TickRecord> records = new ArrayList<>((int) Math.min(ticks, 1 << 20));
        var ho = new SimHarness.Options(ControllerConfig.DEFAULT, governor, o.journal());
        try (SimHarness h = open(sc, seed, policySpec, ho, o);
             CostModel cost = costModel(h, o);
             BudgetLoop budget = o.budget() == null ? null : BudgetLoop.start(h, o.budget(), budgetWatts)) {
            Timeline timeline = o.keepTimeline() ? new Timeline(h.machine().topology()) : null;
            for (long i = 0; i < ticks; i++) {
                TickRecord r = h.step();
                if (budget != null) {
                    budget.afterTick(r);
                }
                records.add(r);
                if (timeline != null) {
                    timeline.add(r);
                }
                if (o.progress() != null) {
                    o.progress().accept(i + 1);
                }
            }
            SimMachine m = h.machine();
            RunMetrics metrics = RunMetrics.of(TelemetryInterval.between(h.first(), m.sample()), m.topology(), records,
                    m::nominalInstructionsPerSec);
            return new RunResult(sc.name(), policySpec, seed, metrics, timeline, ticks, h.controller().fallbacks(),
                    budget == null ? null : budget.figures());
        }
    }
}
