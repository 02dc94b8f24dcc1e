package dev.cohort.eval;

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
 */
public final class OraclePolicy implements Policy {
    /** Its name in reports and on the command line. */
    public static final String NAME = "oracle";

    private final OracleOptions options;
    private final SimHarness copy;
    private final HeldDecision held = new HeldDecision();
    private final Candidates candidates;
    private SimHarness real;
    private long rollouts;
    private long ticks;

    /**
     * @param sc         the scenario the real run plays
     * @param o          the real run's harness options (the copy's journal is off)
     * @param options    horizon, width and candidate sources
     * @param lockStep   the policies whose decision each tick is a candidate (closed with the oracle)
     */
    OraclePolicy(Scenario sc, SimHarness.Options o, OracleOptions options, List<Policy> lockStep) {
        this.options = options;
        this.candidates = new Candidates(lockStep, options.width(), options.neighbours());
        this.copy = SimHarness.open(sc, 0, held, o.withJournal(dev.cohort.control.Journal.NONE));
    }

    /** Binds the oracle to the run it decides for: its snapshots are taken from {@code run}. */
    void attach(SimHarness run) {
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
        for (Decision c : cs) {
            double sum = playOut(now, c);
            if (best == null || sum > bestSum) {
                best = c;
                bestSum = sum;
            }
        }
        ticks++;
        candidates.chosen(best);
        return best;
    }

    /** The reward the copy of the run earns over the horizon after finishing this tick with {@code c} and holding it. */
    private double playOut(SimHarness.Snapshot now, Decision c) {
        copy.restore(now);
        copy.finishTick(c);
        held.hold(c);
        double sum = 0;
        for (int h = 0; h < options.horizonTicks(); h++) {
            sum += copy.step().reward().reward();
        }
        rollouts++;
        return sum;
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
