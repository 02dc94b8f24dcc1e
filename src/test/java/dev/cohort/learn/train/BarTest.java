package dev.cohort.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The bar: no rival dominates, no rival's reward is higher, and best-static is beaten where the load varies. */
class BarTest {
    private static List<Evaluator.RunFigures> runs(IntFunction<Evaluator.RunFigures> f) {
        List<Evaluator.RunFigures> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            out.add(f.apply(i));
        }
        return out;
    }

    /** Rival figures that vary a lot from seed to seed; a policy is judged against them seed by seed. */
    private static Evaluator.RunFigures rival(int i) {
        return new Evaluator.RunFigures(-1.2 - 0.1 * i, 1000 + 50 * i, 0.01, 0.5);
    }

    private static Bar bar(boolean loadVaries, Evaluator.RunFigures... ignored) {
        var rivals = List.of(new Bar.Rival("slo-guard", runs(BarTest::rival)),
                new Bar.Rival(Bar.BEST_STATIC, runs(i -> new Evaluator.RunFigures(-1.05 - 0.1 * i, 990 + 50 * i, 0.01, 0.5))));
        return new Bar(Map.of("sc", new Bar.ScenarioBar(loadVaries, rivals)));
    }

    private static Evaluator.ScenarioResult policy(IntFunction<Evaluator.RunFigures> f) {
        return new Evaluator.ScenarioResult("sc", runs(f));
    }

    @Test
    void aPolicyBetterSeedBySeedMeetsItEvenInsideTheSpreadBetweenSeeds() {
        var r = policy(i -> new Evaluator.RunFigures(-0.95 - 0.1 * i, 980 + 50 * i, 0.01, 0.5));
        assertEquals(Optional.empty(), bar(true).missed(r));
        assertTrue(bar(true).met(List.of(r)));
    }

    @Test
    void usingMoreEnergyForTheSameWorkAndSloIsDominated() {
        var r = policy(i -> new Evaluator.RunFigures(-0.9 - 0.1 * i, 1100 + 50 * i, 0.01, 0.5));
        assertEquals(Optional.of("dominated by slo-guard"), bar(false).missed(r));
    }

    @Test
    void doingLessWorkForLessEnergyIsATradeButTheRewardDecides() {
        // less work for less energy: not dominated; but slo-guard's reward is higher outside the interval
        var r = policy(i -> new Evaluator.RunFigures(-1.4 - 0.1 * i + 0.001 * (i % 3), 900 + 50 * i, 0.01, 0.3));
        assertEquals(Optional.of("slo-guard's reward is higher"), bar(false).missed(r));
    }

    @Test
    void whereTheLoadVariesMatchingBestStaticIsNotEnough() {
        double[] noise = {0.01, -0.02, 0.015, -0.01, 0.02, -0.015, 0.005, -0.005, 0.01, -0.01};
        var r = policy(i -> new Evaluator.RunFigures(-1.05 - 0.1 * i + noise[i], 990 + 50 * i, 0.01, 0.5));
        // against slo-guard alone it would pass: slo-guard's reward is lower, nothing dominates
        var onlyGuard = new Bar(Map.of("sc", new Bar.ScenarioBar(true, List.of(new Bar.Rival("slo-guard", runs(BarTest::rival))))));
        assertEquals(Optional.empty(), onlyGuard.missed(r));
        assertEquals(Optional.of("reward not above best-static's where the load varies"), bar(true).missed(r));
        assertEquals(Optional.empty(), bar(false).missed(r), "a constant load asks only for a tie with best-static");
    }

    @Test
    void withoutMeasuredBaselinesNothingIsMet() {
        assertFalse(new Bar(Map.of()).met(List.of(policy(BarTest::rival))));
        assertFalse(bar(true).met(List.of()));
    }
}
