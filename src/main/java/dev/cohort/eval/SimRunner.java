package dev.cohort.eval;

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
     */
    public record Options(long durationNanos, GovernorConfig governor, Journal journal, boolean keepTimeline,
                          LongConsumer progress, OracleOptions oracle) {
        /** The scenario's length, the evaluation governor, no journal, a timeline, the oracle's defaults. */
        public static Options defaults() {
            return new Options(0, EVALUATION_GOVERNOR, Journal.NONE, true, null, OracleOptions.DEFAULT);
        }

        public Options withDuration(long nanos) {
            return new Options(nanos, governor, journal, keepTimeline, progress, oracle);
        }

        public Options withGovernor(GovernorConfig g) {
            return new Options(durationNanos, g, journal, keepTimeline, progress, oracle);
        }

        public Options withJournal(Journal j) {
            return new Options(durationNanos, governor, j, keepTimeline, progress, oracle);
        }

        public Options withProgress(LongConsumer p) {
            return new Options(durationNanos, governor, journal, keepTimeline, p, oracle);
        }

        public Options withTimeline(boolean keep) {
            return new Options(durationNanos, governor, journal, keep, progress, oracle);
        }

        public Options withOracle(OracleOptions o) {
            return new Options(durationNanos, governor, journal, keepTimeline, progress, o);
        }
    }

    /**
     * The governor used when comparing policies: every bound, floor, step limit and dead band, but no SLO
     * override, so that each policy is judged on its own decisions (with the override on, every policy
     * would borrow slo-guard's reflexes). The daemon runs with {@link GovernorConfig#DEFAULT} (override on).
     */
    public static final GovernorConfig EVALUATION_GOVERNOR = GovernorConfig.EVALUATION;

    /** Ticks a run of the scenario with these options takes. */
    public static long ticks(Scenario sc, Options o) {
        return SimHarness.ticks(sc, o.durationNanos());
    }

    /** Runs {@code policySpec} on {@code sc} with {@code seed} ({@link SimPolicies} resolves the name). */
    public static RunResult run(Scenario sc, String policySpec, long seed, Options o) {
        long ticks = ticks(sc, o);
        List<TickRecord> records = new ArrayList<>((int) Math.min(ticks, 1 << 20));
        var ho = new SimHarness.Options(ControllerConfig.DEFAULT, o.governor(), o.journal());
        try (SimHarness h = SimPolicies.open(sc, seed, policySpec, ho, o.oracle())) {
            Timeline timeline = o.keepTimeline() ? new Timeline(h.machine().topology()) : null;
            for (long i = 0; i < ticks; i++) {
                TickRecord r = h.step();
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
            return new RunResult(sc.name(), policySpec, seed, metrics, timeline, ticks, h.controller().fallbacks());
        }
    }
}
