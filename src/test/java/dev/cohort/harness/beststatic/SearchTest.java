package dev.cohort.harness.beststatic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.control.ControllerConfig;
import dev.cohort.control.GovernorConfig;
import dev.cohort.eval.SimRunner;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.policy.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search against a brute force over the same runs: every point of a small grid run through {@link SimRunner} (the
 * path evaluate takes), on a one-second scenario of two cores with a batch job, so each role has agents.
 */
class SearchTest {
    private static final Map<Role, List<Integer>> SMALL = Map.of(Role.CORE, List.of(0, 5, 10), Role.MEMORY, List.of(0, 9),
            Role.QUOTA, List.of(0, 4, 9));
    private static final long HALF_SECOND = 500_000_000L;

    private static SearchSettings settings(int fullGridMax) {
        return new SearchSettings(List.of(1000L, 1001L), HALF_SECOND, 3, fullGridMax, ControllerConfig.DEFAULT,
                GovernorConfig.EVALUATION, SMALL);
    }

    /** evaluate's mean reward of {@code spec} on {@code seed}, over the scenario or {@code nanos}. */
    private static double evaluated(Scenario sc, String spec, long seed, long nanos) {
        return SimRunner.run(sc, spec, seed, SimRunner.Options.defaults().withDuration(nanos).withTimeline(false)).metrics().meanReward();
    }

    private static double mean(Scenario sc, String spec, List<Long> seeds) {
        return seeds.stream().mapToDouble(s -> evaluated(sc, spec, s, 0)).average().orElseThrow();
    }

    @Test
    void withoutAScreenItPicksTheBestOfTheWholeGrid(@TempDir Path dir) throws Exception {
        Scenario sc = TinyScenarios.load(dir, "tiny", 0.4, true);
        SearchSettings s = settings(100);
        Grid g = Grid.of(sc, s.base(), s.governor(), s.only());
        assertEquals(18, g.size());
        Found f = Search.run(sc, s, g, "k", 2, null);
        assertEquals(0, f.screenNanos());
        assertEquals(18, f.finalists().size(), "every point ran in full");

        Map<String, Double> brute = new HashMap<>();
        for (Map<Role, Integer> p : g.points()) {
            brute.put(g.spec(p), mean(sc, g.spec(p), s.seeds()));
        }
        double best = brute.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertEquals(best, brute.get(f.spec()), 1e-9, "the search's choice is the brute force's best: " + brute);
        for (Found.Candidate c : f.finalists()) {
            assertEquals(brute.get(c.spec()), c.meanReward(), 1e-9, c.spec() + ": the search's runs are evaluate's runs");
        }
        assertTried(f);
        assertTrue(f.note("tiny").startsWith("best-static on tiny = " + f.spec() + " ("), f.note("tiny"));
        assertTrue(f.note("tiny").endsWith("searched on seeds 1000,1001)"), f.note("tiny"));
    }

    @Test
    void withAScreenTheFinalistsAreTheScreensBestAndTheWinnerTheirBest(@TempDir Path dir) throws Exception {
        Scenario sc = TinyScenarios.load(dir, "tiny", 0.4, true);
        SearchSettings s = settings(0);
        Grid g = Grid.of(sc, s.base(), s.governor(), s.only());
        Found f = Search.run(sc, s, g, "k", 1, null);
        assertEquals(HALF_SECOND, f.screenNanos());

        // the screen by brute force: every point, half the scenario, the first seed
        List<Map<Role, Integer>> points = g.points();
        double[] screened = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            screened[i] = evaluated(sc, g.spec(points.get(i)), 1000, HALF_SECOND);
        }
        List<String> expected = Search.finalists(screened, 3).stream().map(i -> g.spec(points.get(i))).sorted().toList();
        assertEquals(expected, f.finalists().stream().map(Found.Candidate::spec).sorted().toList());
        for (Found.Candidate c : f.finalists()) {
            assertEquals(screened[points.indexOf(c.levels())], c.screenReward(), 1e-9, c.spec() + ": the screen is evaluate's run");
        }
        // the final by brute force: the finalists in full on both seeds
        Found.Candidate best = f.finalists().stream()
                .max(Comparator.comparingDouble(c -> mean(sc, c.spec(), s.seeds()))).orElseThrow();
        assertEquals(mean(sc, best.spec(), s.seeds()), f.chosen().meanReward(), 1e-9);
        assertTried(f);
        assertEquals(Search.ticks(sc, s, g), 18 * 5 + 3 * 2 * 10L, "18 screens of 5 ticks, 3 finalists × 2 seeds × 10 ticks");
    }

    @Test
    void theResultDoesNotDependOnTheThreadCount(@TempDir Path dir) throws Exception {
        Scenario sc = TinyScenarios.load(dir, "tiny", 0.6, true);
        SearchSettings s = settings(0);
        Grid g = Grid.of(sc, s.base(), s.governor(), s.only());
        Found one = Search.run(sc, s, g, "k", 1, null);
        Found three = Search.run(sc, s, g, "k", 3, null);
        assertEquals(one.finalists(), three.finalists());
    }

    @Test
    void equalScreensGoOnAsOneFinalistTheLeastLimiting() {
        double[] screened = {-3, -1, -1, -2, -1, -5};
        assertEquals(List.of(4, 3, 0), Search.finalists(screened, 3), "-1 three times is one finalist: the last point");
        assertEquals(List.of(4, 3, 0, 5), Search.finalists(screened, 10));
    }

    @Test
    void searchSeedsAreTrainingSeeds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SearchSettings(List.of(999L, 1000L),
                HALF_SECOND, 3, 0, ControllerConfig.DEFAULT, GovernorConfig.EVALUATION, Map.of()));
        assertTrue(e.getMessage().contains("1000"), e.getMessage());
        assertEquals("1000–1004", SearchSettings.DEFAULT.seedsText());
        assertTrue(SearchSettings.DEFAULT.seeds().stream().allMatch(x -> x >= 1000));
    }

    /** Every finalist's levels, and so the winner's, are points of the grid that ran. */
    private static void assertTried(Found f) {
        List<Map<Role, Integer>> points = new ArrayList<>(f.grid().points());
        for (Found.Candidate c : f.finalists()) {
            assertTrue(points.contains(c.levels()), c.levels() + " is not a grid point");
            for (var e : c.levels().entrySet()) {
                assertTrue(SMALL.get(e.getKey()).contains(e.getValue()), e + " was never tried");
            }
        }
    }
}
