package dev.cohort.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.sim.Scenarios;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlotsTest {
    @Test
    void timelinesHaveRoundAxesTheSeedTheSloAndSmoothedLines() {
        var o = SimRunner.Options.defaults().withDuration(20_000_000_000L);
        var sc = Scenarios.resolve("steady");
        List<RunResult> runs = List.of(SimRunner.run(sc, "performance", 4, o), SimRunner.run(sc, "schedutil", 4, o));
        Summary s = new Summary(List.of("steady"), List.of("performance", "schedutil"), runs);

        var latency = Plots.timeline(s, "steady", false);
        assertTrue(latency.getTitle().startsWith("steady, seed 4: latency") && latency.getTitle().contains("moving average over"),
                latency.getTitle());
        assertTrue(latency.getSeriesMap().keySet().stream().anyMatch(k -> k.startsWith("SLO: web p99 ")), latency.getSeriesMap().keySet()
                .toString());
        assertEquals("time (s)", latency.getXAxisTitle());
        assertEquals(0.0, latency.getStyler().getXAxisMin());
        assertEquals(20.0, latency.getStyler().getXAxisMax(), "ends on a round value, not on the last tick");
        assertTrue(Plots.timeline(s, "steady", true).getTitle().startsWith("steady, seed 4: package power"));
        assertTrue(Plots.scatter(s, "steady").getTitle().contains("seeds 4"));
    }

    @Test
    void axisEndsAndSmoothing() {
        assertEquals(180, dev.cohort.platform.Readable.roundUp(179.9), 1e-9);
        assertEquals(10, dev.cohort.platform.Readable.roundUp(10), 1e-9);
        assertEquals(20, dev.cohort.platform.Readable.roundUp(19.9), 1e-9);
        assertEquals(700, dev.cohort.platform.Readable.roundUp(601), 1e-9);
        assertArrayEquals(new double[]{1.5, 1.5, 3, 4}, Plots.movingAverage(new double[]{1, 2, Double.NaN, 4}, 3), 1e-9);
    }
}
