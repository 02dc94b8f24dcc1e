package dev.cohort.learn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cohort.learn.algo.Algorithm;
import dev.cohort.platform.CohortException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TrainConfigTest {
    private static TrainConfig parse(String text) {
        return TrainConfig.parse(Path.of("t.yaml"), text);
    }

    @Test
    void everyShippedConfigurationLoads() throws Exception {
        for (String a : new String[]{"iql", "vdn", "qmix", "awrq", "maddpg"}) {
            TrainConfig c = TrainConfig.load(Path.of(System.getProperty("cohort.repo", "."), "configs", a + ".yaml"));
            assertEquals(Algorithm.parse(a), c.algorithm());
            assertEquals(Path.of("models", a), c.exportDir());
            assertEquals(0, c.episodeTicks() % c.chunkTicks());
        }
    }

    @Test
    void unknownKeysAndBadValuesNameTheFileAndTheKey() {
        var e = assertThrows(CohortException.class, () -> parse("algorithm: qmix\nscenarios: [steady]\nlearning: {gama: 0.9}\n"));
        assertEquals("t.yaml: learning.gama: unknown key (allowed here: gamma, nStep, huber, batchChunks, replayChunks, warmupChunks, "
                + "episodesPerIteration, updatesPerIteration, doubleQ, targetInterval, tau, standardiseRewards)", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: dqn\nscenarios: [steady]\n"));
        assertEquals("t.yaml: algorithm: unknown algorithm 'dqn' (allowed: iql, vdn, qmix, awrq, maddpg)", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: vdn\nscenarios: [steady]\nlearning: {gamma: 2}\n"));
        assertEquals("t.yaml: learning.gamma: expected a number from 0.01 to 0.9999, got '2'", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: vdn\n"));
        assertEquals("t.yaml: scenarios: required (scenario names with weights, e.g. {colocation: 1, membw: 1})", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: vdn\nscenarios: [steady]\nepisodeTicks: 100\nchunkTicks: 30\n"));
        assertEquals("t.yaml: chunkTicks: 30 does not divide episodeTicks 100", e.getMessage());
    }

    @Test
    void evaluationSeedsMustBeSeedsTrainingNeverUses() {
        assertArrayEquals(new long[]{101, 102, 103}, parse("algorithm: vdn\nscenarios: [steady]\nevaluation: {seeds: 101-103}\n").evalSeedList());
        var e = assertThrows(CohortException.class, () -> parse("algorithm: vdn\nscenarios: [steady]\nevaluation: {seeds: 999-1001}\n"));
        assertEquals("t.yaml: evaluation.seeds: seeds must be 0..999 (training uses 1000 and above), got '999-1001'", e.getMessage());
    }

    @Test
    void epsilonFallsLinearlyToItsFloor() {
        TrainConfig c = parse("algorithm: vdn\nscenarios: [steady]\nexploration: {epsilonStart: 1, epsilonEnd: 0.1, annealSteps: 1000}\n");
        assertEquals(1.0, c.epsilon(0), 1e-12);
        assertEquals(0.55, c.epsilon(500), 1e-12);
        assertEquals(0.1, c.epsilon(5000), 1e-12);
    }
}
