package dev.cohort.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The outcome simulation's value: requests inside the SLO and best-effort work, each a share of its maximum. */
class OutcomeRunTest {
    private static RunMetrics metrics(long requests, long overSlo, double beWorkShare) {
        return new RunMetrics(60, 1800, 30, 0.4, 3, requests, overSlo, 0.05, 4, beWorkShare, 7, Double.NaN, 0.5, 1, -2);
    }

    @Test
    void valueIsTheMeanOfRequestsInsideTheSloAndBestEffortWork() {
        assertEquals((0.9 + 0.2) / 2, OutcomeRun.value(metrics(1000, 100, 0.2)), 1e-12);
        assertEquals(1, OutcomeRun.value(metrics(1000, 0, 1)), 1e-12, "every request inside, every job at full speed");
        assertEquals(0, OutcomeRun.value(metrics(1000, 1000, 0)), 1e-12);
    }

    @Test
    void aScenarioWithOneKindOfWorkIsValuedByThatOne() {
        assertEquals(0.9, OutcomeRun.value(metrics(1000, 100, Double.NaN)), 1e-12, "no best-effort job");
        assertEquals(0.3, OutcomeRun.value(metrics(0, 0, 0.3)), 1e-12, "no service");
        assertTrue(Double.isNaN(OutcomeRun.value(metrics(0, 0, Double.NaN))));
    }
}
