package dev.cohort.learn.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What {@code cohort train pairs --by slo-factor|load-scale|arrivals} reads an episode's draw as. */
class EpisodeDrawTest {
    private static final Scenario STEADY = Scenarios.builtIn("steady");

    @Test
    void anEpisodeAsWrittenIsItsOwnBandInEveryView() {
        Scenario same = ScenarioSampler.sample(STEADY, ScenarioSamplerTest.WIDE.withAsWritten(1), new SplittableRandom(1));
        EpisodeDraw d = EpisodeDraw.of(STEADY, same);
        assertTrue(d.asWritten());
        assertEquals(List.of("as written", "as written", "as written"), List.of(d.sloBand(), d.loadBand(), d.arrivalsBand()));
    }

    @Test
    void halvedSlosHeavierLoadsAndSwappedSourcesLandInTheirBands() {
        Variation tight = new Variation(0, 0.95, 0, 0, 0, 0, 0, 0, 0, false)
                .widened(List.of(), new double[]{0.5, 0.6}, new double[]{1.2, 1.3}, BatchMix.AS_WRITTEN, 0, 0);
        EpisodeDraw d = EpisodeDraw.of(STEADY, ScenarioSampler.sample(STEADY, tight, new SplittableRandom(2)));
        assertEquals(new EpisodeDraw(false, 0, 2, 0), d, "SLO at 0.5-0.6 of the file's, load at 1.2-1.3 of it, its own arrivals");
        assertEquals(List.of("SLO < 0.8x", "load > 1.1x", "own arrivals"), List.of(d.sloBand(), d.loadBand(), d.arrivalsBand()));
        Variation loose = new Variation(0, 0.95, 0, 0, 0, 0, 0, 0, 0, false)
                .widened(List.of(), new double[]{1.5, 2}, new double[]{0.6, 0.7}, BatchMix.AS_WRITTEN, 0, 0);
        assertEquals(new EpisodeDraw(false, 2, 0, 0), EpisodeDraw.of(STEADY, ScenarioSampler.sample(STEADY, loose, new SplittableRandom(3))));
        Variation pareto = new Variation(0, 0.95, 0, 0, 0, 0, 0, 0, 0, false)
                .widened(List.of(), new double[]{0, 0}, new double[]{0, 0}, BatchMix.AS_WRITTEN, 1, 1);
        Variation exponential = pareto.widened(List.of(), new double[]{0, 0}, new double[]{0, 0}, BatchMix.AS_WRITTEN, 1, 0);
        assertEquals("on/off Pareto", EpisodeDraw.of(STEADY, ScenarioSampler.sample(STEADY, pareto, new SplittableRandom(4))).arrivalsBand());
        assertEquals("on/off", EpisodeDraw.of(STEADY, ScenarioSampler.sample(STEADY, exponential, new SplittableRandom(4))).arrivalsBand());
        Scenario bursty = ScenarioSamplerTest.trainingScenarios().get(5);
        assertEquals("own arrivals", EpisodeDraw.of(bursty, ScenarioSampler.sample(bursty, exponential, new SplittableRandom(5)))
                .arrivalsBand(), "a file that is on/off already keeps its own arrivals");
    }

    @Test
    void everyDrawSurvivesItsCodeAndNoCodeIsUnknown() {
        Set<Integer> codes = new HashSet<>();
        for (int s = 0; s < 3; s++) {
            for (int l = 0; l < 3; l++) {
                for (int a = 0; a < 3; a++) {
                    EpisodeDraw d = new EpisodeDraw(false, s, l, a);
                    assertEquals(d, EpisodeDraw.decode(d.code()));
                    assertTrue(codes.add(d.code()) && d.code() != EpisodeDraw.UNKNOWN && d.code() < 256, d.toString());
                }
            }
        }
        EpisodeDraw asWritten = new EpisodeDraw(true, 1, 1, 0);
        assertEquals(asWritten, EpisodeDraw.decode(asWritten.code()));
        assertTrue(codes.add(asWritten.code()));
        assertNull(EpisodeDraw.decode(EpisodeDraw.UNKNOWN), "a chunk from an older checkpoint has no draw");
        assertThrows(IllegalArgumentException.class, () -> EpisodeDraw.decode(40));
    }
}
