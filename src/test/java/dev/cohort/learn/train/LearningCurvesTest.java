package dev.cohort.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearningCurvesTest {
    private static IterationLog log(long it, long steps, List<Evaluator.ScenarioResult> eval) {
        return new IterationLog(it, steps, it, it, it, -1.0 + it * 0.01, 0.1, 0.5, 0.1, Double.NaN, Double.NaN, 0, 0, 0, 0, eval,
                Double.NaN, null, Double.NaN);
    }

    @Test
    void iterationsWithoutAnEvaluationAreLeftOutNotDrawnAtZero(@TempDir Path dir) throws Exception {
        var ev = List.of(new Evaluator.ScenarioResult("steady", List.of(new Evaluator.RunFigures(-0.4, 100, 0.0, Double.NaN))));
        List<IterationLog> logs = List.of(log(1, 100, List.of()), log(2, 200, ev), log(3, 300, List.of()), log(4, 400, ev));
        var c = LearningCurves.evaluation(logs, "vdn");
        var s = c.getSeriesMap().get("steady");
        assertEquals(2, s.getXData().length, "two evaluations");
        for (double x : s.getXData()) {
            assertTrue(x > 0, "no point at 0 ticks");
        }

        var none = LearningCurves.evaluation(List.of(log(1, 100, List.of())), "vdn");
        assertTrue(none.getSeriesMap().isEmpty(), "no fake 'no evaluation' point");
        assertTrue(none.getTitle().contains("no evaluation yet"), none.getTitle());

        // a run with no evaluation and every loss NaN still draws (empty panels say so)
        Path png = dir.resolve("curves.png");
        LearningCurves.write(List.of(log(1, 100, List.of())), "vdn", png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img != null && img.getWidth() > 100);
    }
}
