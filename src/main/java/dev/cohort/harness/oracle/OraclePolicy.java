package dev.cohort.harness.oracle;

import dev.cohort.harness.SimHarness;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policy;
import java.util.List;

/**
 * The hindsight oracle, {@code --policy oracle}: a policy that sees the simulated machine's future. Each tick it takes
 * a snapshot of its run (machine, controller and all, with the same random streams, so every candidate meets the
 * same arrivals), and for each candidate joint action ({@link Candidates}) restores the snapshot into a copy of the
 * run, finishes the tick with the candidate, plays {@code horizon} more ticks holding it, and sums the rewards of
 * those ticks (each tick's reward is the consequence of the tick before's plan, the same {@code Reward} every policy
 * is judged by). It returns the candidate with the highest sum; the real controller then governs and applies it like
 * any policy's decision, so the oracle passes the same governor limits as every policy. It is a strong reference, not
 * an optimum: the search is greedy over a short horizon and a finite candidate set. Deterministic. Not thread-safe.
 *
 * <p>With a power budget ({@link OracleOptions#budgetWatts}) it holds the budget itself: a candidate is feasible when
 * every tick of its look-ahead draws at most the budget (the model's true package energy over the tick, as the judge
 * counts it). That is stricter than the judge, which asks only each one-second window's mean to stay under: a tick
 * horizon cannot see a whole window, and a window of ticks each under the budget is under it too. The first look-ahead
 * tick replays exactly what the real run does next, so a feasible choice keeps the real tick under the budget. The
 * best feasible candidate wins; when none is feasible, the one with the least excess (summed over its look-ahead).
 * Under a budget its score leaves out the reward's energy term ({@code β·λ·E}): the budget, not the price, limits
 * energy (MaRCA's problem: the most value whose cost stays under the budget), so the oracle spends what the budget
 * allows on latency and best-effort work.
 *
 * <p>Blind ({@link OracleOptions#futures}), each tick's look-ahead plays every candidate on the same few other futures
 * of the arrivals, drawn from the same processes, and scores their mean: a controller that knows the machine's whole
 * state and its load's model, but not which requests come next. Over whole runs it falls below best-static on
 * four of five built-in scenarios ({@code docs/evaluation.md}, "Blind to the draws").
 */
public final class OraclePolicy implements Policy {
    /** Its name in reports and on the command line. */
    public static final String NAME = "oracle";

    private final OracleOptions options;
    /** β, the reward's energy weight: under a budget the energy term is added back, leaving value alone. */
    private final double energyWeight;
    private final SimHarness copy;
    private final HeldDecision held = new HeldDecision();
    private final Candidates candidates;
    private SimHarness real;
    private long rollouts;
    private long ticks;
    private long boundTicks;
    private boolean boundLast;
    /** The last play-out's excess over the budget, W summed over its ticks (0 without a budget). */
    private double excessWatts;

    /**
     * @param sc         the scenario the real run plays
     * @param o          the real run's harness options (the copy's journal is off)
     * @param options    horizon, width and candidate sources
     * @param lockStep   the policies whose decision each tick is a candidate (closed with the oracle)
     */
    public OraclePolicy(Scenario sc, SimHarness.Options o, OracleOptions options, List<Policy> lockStep) {
        this.options = options;
        this.energyWeight = o.base().reward().beta();
        // under a budget, the throttled policy's decision is tried capped too (its index is its spec's among the policies)
        this.candidates = new Candidates(lockStep, options.width(), options.neighbours(),
                options.budgeted() && options.throttled() != null ? options.policies().indexOf(options.throttled()) : -1);
        this.copy = SimHarness.open(sc, 0, held, o.withJournal(dev.cohort.control.Journal.NONE));
    }

    /** Binds the oracle to the run it decides for: its snapshots are taken from {@code run}. */
    public void attach(SimHarness run) {
        this.real = run;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Decision decide(Observations obs) {
        if (real == null) {
            throw new IllegalStateException("the oracle decides only inside the simulated run it is attached to");
        }
        List<Decision> cs = candidates.of(obs);
        SimHarness.Snapshot now = real.snapshot();
        Decision best = null;
        double bestSum = Double.NEGATIVE_INFINITY;
        double bestExcess = Double.POSITIVE_INFINITY;
        Decision free = null;
        double freeSum = Double.NEGATIVE_INFINITY;
        double freeExcess = 0;
        for (Decision c : cs) {
            double sum = playOut(now, c);
            double excess = excessWatts;
            // without a budget every excess is 0, and this is the plain highest sum
            if (best == null || excess < bestExcess || (excess == bestExcess && sum > bestSum)) {
                best = c;
                bestSum = sum;
                bestExcess = excess;
            }
            if (free == null || sum > freeSum) {
                free = c;
                freeSum = sum;
                freeExcess = excess;
            }
        }
        ticks++;
        // the budget bound when the choice it left differs from the one the oracle would have made without it
        boundLast = freeExcess > 0 && best != free;
        if (boundLast) {
            boundTicks++;
        }
        candidates.chosen(best);
        return best;
    }

    /**
     * The reward the copy of the run earns over the horizon after finishing this tick with {@code c} and holding it;
     * leaves in {@link #excessWatts} how far its ticks' power went over the budget, summed.
     */
    private double playOut(SimHarness.Snapshot now, Decision c) {
        if (!options.blind()) {
            return playOut(now, c, -1);
        }
        int k = options.futures();
        double sum = 0;
        double excess = 0;
        for (int f = 0; f < k; f++) {
            sum += playOut(now, c, ticks * k + f) / k;
            excess += excessWatts / k;
        }
        excessWatts = excess;
        return sum;
    }

    private double playOut(SimHarness.Snapshot now, Decision c, long future) {
        copy.restore(now);
        if (future >= 0) {
            copy.machine().reseedArrivals(future); // the same futures for every candidate: a fair comparison
        }
        copy.finishTick(c);
        held.hold(c);
        double sum = 0;
        double excess = 0;
        boolean budget = options.budgeted();
        double tickSeconds = copy.scenario().tickNanos() / 1e9;
        for (int h = 0; h < options.horizonTicks(); h++) {
            double before = budget ? copy.machine().trueEnergyJoules() : 0;
            var r = copy.step();
            sum += r.reward().reward() + (budget ? energyWeight * copy.controller().lambda() * r.reward().energy() : 0);
            if (budget) {
                double watts = (copy.machine().trueEnergyJoules() - before) / tickSeconds;
                excess += Math.max(0, watts - options.budgetWatts());
            }
        }
        excessWatts = excess;
        rollouts++;
        return sum;
    }

    /** Whether the budget changed the choice made in the last tick decided (false without a budget). */
    public boolean boundLastTick() {
        return boundLast;
    }

    /** Ticks whose choice the budget changed so far. */
    public long boundTicks() {
        return boundTicks;
    }

    /** Candidates played out so far. */
    public long rollouts() {
        return rollouts;
    }

    /** Ticks decided so far. */
    public long ticks() {
        return ticks;
    }

    @Override
    public void reset() {
        candidates.reset();
    }

    @Override
    public void close() {
        copy.close();
        candidates.close();
    }

    /** The copy's policy: the candidate being played out, the same every tick. */
    private static final class HeldDecision implements Policy {
        private Decision held;

        void hold(Decision d) {
            held = d;
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Decision decide(Observations obs) {
            return held;
        }
    }
}
