package dev.cohort.eval;

import dev.cohort.balance.BalancerKind;
import dev.cohort.balance.BudgetLoop;
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
                          LongConsumer progress, OracleOptions oracle, BudgetLoop.Options budget) {
        /** The scenario's length, the evaluation governor, no journal, a timeline, the oracle's defaults, no budget. */
        public static Options defaults() {
            return new Options(0, EVALUATION_GOVERNOR, Journal.NONE, true, null, OracleOptions.DEFAULT, null);
        }

        public Options withDuration(long nanos) {
            return new Options(nanos, governor, journal, keepTimeline, progress, oracle, budget);
        }

        public Options withGovernor(GovernorConfig g) {
            return new Options(durationNanos, g, journal, keepTimeline, progress, oracle, budget);
        }

        public Options withJournal(Journal j) {
            return new Options(durationNanos, governor, j, keepTimeline, progress, oracle, budget);
        }

        public Options withProgress(LongConsumer p) {
            return new Options(durationNanos, governor, journal, keepTimeline, p, oracle, budget);
        }

        public Options withTimeline(boolean keep) {
            return new Options(durationNanos, governor, journal, keep, progress, oracle, budget);
        }

        public Options withOracle(OracleOptions o) {
            return new Options(durationNanos, governor, journal, keepTimeline, progress, o, budget);
        }

        public Options withBudget(BudgetLoop.Options b) {
            return new Options(durationNanos, governor, journal, keepTimeline, progress, oracle, b);
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
            var p = PricedPolicies.open(policySpec, SimHarness.machine(sc, seed), ho.base(), o.budget().pricing());
            return SimHarness.openOwning(sc, seed, p, ho);
        }
        return SimPolicies.open(sc, seed, policySpec, ho, o.oracle());
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
            }
            budgetWatts = o.budget().budget().watts(reference);
            if (!(budgetWatts > 0)) {
                throw new dev.cohort.platform.CohortException("power budget " + o.budget().budget() + " of "
                        + reference + " W is no power to hold (the machine measures none without RAPL)");
            }
            if (o.budget().kind() == BalancerKind.GOVERNOR) {
                governor = governor.withPowerBudget(budgetWatts);
            }
        }
        long ticks = ticks(sc, o);
        List<TickRecord> records = new ArrayList<>((int) Math.min(ticks, 1 << 20));
        var ho = new SimHarness.Options(ControllerConfig.DEFAULT, governor, o.journal());
        try (SimHarness h = open(sc, seed, policySpec, ho, o);
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
