package dev.cohort.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.cohort.control.TickRecord;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policy;
import dev.cohort.policy.baseline.Baselines;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A run's snapshot covers the controller too (last sample and interval, host status, knobs the governor's step limits
 * start from, refused knobs, observations, the policy's state): snapshot, run, restore, run again gives bit-identical
 * tick records, energy and observations. A snapshot taken while the policy decides holds the tick under way, and
 * {@link SimHarness#finishTick} completes it exactly as the controller did.
 */
class HarnessSnapshotTest {

    @ParameterizedTest
    @CsvSource({"steady,schedutil", "colocation,slo-guard", "membw,slo-guard", "diurnal,headroom", "trace,ondemand",
            "large,slo-guard", "colocation,static:core=0.3,memory=0.5,quota=0.4"})
    void restoringReplaysTheTicksBitForBit(String scenario, String policy) {
        Scenario sc = Scenarios.builtIn(scenario);
        try (SimHarness h = SimHarness.open(sc, 11, policy, SimHarness.Options.evaluation())) {
            Fingerprints.steps(h, 12);
            SimHarness.Snapshot s = h.snapshot();
            List<String> first = Fingerprints.steps(h, 15);
            h.restore(s);
            assertEquals(first, Fingerprints.steps(h, 15), scenario + " under " + policy);
        }
    }

    @Test
    void aSnapshotBeforeTheFirstTickRestoresAFreshRun() {
        Scenario sc = Scenarios.builtIn("colocation");
        try (SimHarness h = SimHarness.open(sc, 2, "slo-guard", SimHarness.Options.evaluation())) {
            SimHarness.Snapshot s = h.snapshot();
            List<String> first = Fingerprints.steps(h, 10);
            h.restore(s);
            assertEquals(first, Fingerprints.steps(h, 10));
        }
    }

    @Test
    void anotherHarnessOfTheScenarioTakesTheSnapshot() {
        Scenario sc = Scenarios.builtIn("membw");
        try (SimHarness a = SimHarness.open(sc, 4, "schedutil", SimHarness.Options.evaluation());
             SimHarness b = SimHarness.open(sc, 77, "schedutil", SimHarness.Options.evaluation())) {
            Fingerprints.steps(a, 8);
            Fingerprints.steps(b, 3);
            SimHarness.Snapshot s = a.snapshot();
            List<String> first = Fingerprints.steps(a, 10);
            b.restore(s);
            assertEquals(first, Fingerprints.steps(b, 10));
        }
    }

    @Test
    void aRestoreIsolatesAnotherPolicysRun() {
        Scenario sc = Scenarios.builtIn("colocation");
        Switchable policy = new Switchable(Baselines.create("slo-guard"));
        try (SimHarness h = SimHarness.open(sc, 5, policy, SimHarness.Options.evaluation())) {
            Fingerprints.steps(h, 10);
            SimHarness.Snapshot s = h.snapshot();
            List<String> first = Fingerprints.steps(h, 10);
            h.restore(s);
            policy.use(Baselines.create("powersave"));
            assertNotEquals(first, Fingerprints.steps(h, 10), "powersave after the restore runs differently");
            h.restore(s);
            policy.use(null);
            assertEquals(first, Fingerprints.steps(h, 10), "restoring again gives slo-guard's run back");
        }
    }

    @Test
    void aSnapshotTakenWhileDecidingIsFinishedLikeTheRealTick() {
        Scenario sc = Scenarios.builtIn("colocation");
        Peeking peeking = new Peeking(Baselines.create("slo-guard"));
        Replay replay = new Replay(peeking.decisions);
        try (SimHarness real = SimHarness.open(sc, 9, peeking, SimHarness.Options.evaluation());
             SimHarness copy = SimHarness.open(sc, 40, replay, SimHarness.Options.evaluation())) {
            peeking.harness = real;
            Fingerprints.steps(real, 6);
            TickRecord tick = real.step();
            List<String> after = Fingerprints.steps(real, 8);
            assertEquals(7, peeking.taken.controller().tick());
            copy.restore(peeking.taken);
            replay.next = 7; // the decisions of ticks 7, 8, ...
            assertEquals(Fingerprints.of(tick), Fingerprints.of(copy.finishTick(peeking.decisions.get(6))));
            assertEquals(after, Fingerprints.steps(copy, 8), "and the ticks after it");
        }
    }

    @Property(tries = 8)
    void anySeedAndMomentReplays(@ForAll @LongRange(min = 1, max = 100_000) long seed,
                                 @ForAll @IntRange(min = 0, max = 20) int before, @ForAll @IntRange(min = 1, max = 12) int after) {
        Scenario sc = Scenarios.builtIn(seed % 2 == 0 ? "colocation" : "trace");
        try (SimHarness h = SimHarness.open(sc, seed, seed % 3 == 0 ? "headroom" : "slo-guard", SimHarness.Options.evaluation())) {
            Fingerprints.steps(h, before);
            SimHarness.Snapshot s = h.snapshot();
            List<String> first = Fingerprints.steps(h, after);
            h.restore(s);
            assertEquals(first, Fingerprints.steps(h, after));
        }
    }

    /** A policy that can be swapped for another; its own state is its first policy's. */
    private static final class Switchable implements Policy {
        private final Policy own;
        private Policy other;

        Switchable(Policy own) {
            this.own = own;
        }

        void use(Policy p) {
            other = p;
        }

        @Override
        public String name() {
            return own.name();
        }

        @Override
        public Decision decide(Observations obs) {
            return other == null ? own.decide(obs) : other.decide(obs);
        }

        @Override
        public Object saveState() {
            return own.saveState();
        }

        @Override
        public void restoreState(Object state) {
            own.restoreState(state);
        }
    }

    /** Decides as its delegate and keeps every decision; on the 7th tick it also takes the harness's snapshot. */
    private static final class Peeking implements Policy {
        private final Policy delegate;
        final List<Decision> decisions = new java.util.ArrayList<>();
        SimHarness harness;
        SimHarness.Snapshot taken;

        Peeking(Policy delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public Decision decide(Observations obs) {
            Decision d = delegate.decide(obs);
            decisions.add(d);
            if (obs.tick() == 7) {
                taken = harness.snapshot();
            }
            return d;
        }
    }

    /** Returns recorded decisions in order, under the recorded policy's name. */
    private static final class Replay implements Policy {
        private final List<Decision> decisions;
        int next;

        Replay(List<Decision> decisions) {
            this.decisions = decisions;
        }

        @Override
        public String name() {
            return "slo-guard";
        }

        @Override
        public Decision decide(Observations obs) {
            return decisions.get(next++);
        }
    }
}
