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
        assertEquals("t.yaml:3: learning.gama: unknown key (allowed here: gamma, nStep, huber, batchChunks, replayChunks, warmupChunks, "
                + "episodesPerIteration, updatesPerIteration, doubleQ, targetInterval, tau, standardiseRewards)", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: dqn\nscenarios: [steady]\n"));
        assertEquals("t.yaml:1: algorithm: unknown algorithm 'dqn' (allowed: iql, vdn, qmix, awrq, maddpg)", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: vdn\nscenarios: [steady]\nlearning: {gamma: 2}\n"));
        assertEquals("t.yaml:3: learning.gamma: expected a number from 0.01 to 0.9999, got '2'", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: vdn\n"));
        assertEquals("t.yaml:1: scenarios: required (scenario names with weights, e.g. {colocation: 1, membw: 1})", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: vdn\nscenarios: [steady]\nepisodeTicks: 100\nchunkTicks: 30\n"));
        assertEquals("t.yaml:4: chunkTicks: 30 does not divide episodeTicks 100", e.getMessage());
    }

    @Test
    void evaluationSeedsMustBeSeedsTrainingNeverUses() {
        assertArrayEquals(new long[]{101, 102, 103}, parse("algorithm: vdn\nscenarios: [steady]\nevaluation: {seeds: 101-103}\n").evalSeedList());
        var e = assertThrows(CohortException.class, () -> parse("algorithm: vdn\nscenarios: [steady]\nevaluation: {seeds: 999-1001}\n"));
        assertEquals("t.yaml:3: evaluation.seeds: seeds must be 0..999 (training uses 1000 and above), got '999-1001'", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: vdn\nscenarios: [steady]\nevaluation: {seeds: 0-9000000000000}\n"));
        assertEquals("t.yaml:3: evaluation.seeds: seeds must be 0..999 (training uses 1000 and above), got '0-9000000000000'",
                e.getMessage(), "refused before counting");
        e = assertThrows(CohortException.class, () -> parse("algorithm: vdn\nscenarios: [steady]\nevaluation:\n  seeds: 1..3\n"));
        assertEquals("t.yaml:4: evaluation.seeds: expected a range (201-202) or a list (7,8,9), got '1..3'", e.getMessage());
    }

    @Test
    void demonstrationsAreOffUnlessConfiguredAndMustUseATrainingScenario() {
        assertEquals(Demonstrations.NONE, parse("algorithm: qmix\nscenarios: [steady]\n").demonstrations());
        TrainConfig c = parse("algorithm: qmix\nscenarios: {steady: 1, diurnal: 2}\nlearning: {batchChunks: 32}\n"
                + "demonstrations: {policy: headroom, scenarios: [diurnal], episodes: 50, share: 0.25, margin: 0.5, weight: 2}\n");
        assertEquals(new Demonstrations("headroom", java.util.List.of("diurnal"), 50, 0.25), c.demonstrations());
        assertEquals(8, c.demonstrations().chunksOf(c.batchChunks()));
        assertEquals(0.5, c.learner().demoMargin());
        assertEquals(2, c.learner().demoWeight());
        assertEquals(java.util.List.of("steady", "diurnal"),
                parse("algorithm: vdn\nscenarios: [steady, diurnal]\ndemonstrations: {policy: slo-guard}\n").demonstrations().scenarios());
        var e = assertThrows(CohortException.class, () -> parse("algorithm: qmix\nscenarios: [steady]\n"
                + "demonstrations: {policy: headroom, scenarios: [diurnal]}\n"));
        assertEquals("t.yaml:3: demonstrations.scenarios: 'diurnal' is not a training scenario (steady)", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: maddpg\nscenarios: [steady]\ndemonstrations: {policy: headroom}\n"));
        assertEquals("t.yaml:3: demonstrations: only the value learners (iql, vdn, qmix, awrq) use demonstrations; remove the section "
                + "for maddpg", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: qmix\nscenarios: [steady]\ndemonstrations: {episodes: 5}\n"));
        assertEquals("t.yaml:3: demonstrations.policy: required: the policy that demonstrates, e.g. slo-guard", e.getMessage());
    }

    @Test
    void epsilonFallsLinearlyToItsFloor() {
        TrainConfig c = parse("algorithm: vdn\nscenarios: [steady]\nexploration: {epsilonStart: 1, epsilonEnd: 0.1, annealSteps: 1000}\n");
        assertEquals(1.0, c.epsilon(0), 1e-12);
        assertEquals(0.55, c.epsilon(500), 1e-12);
        assertEquals(0.1, c.epsilon(5000), 1e-12);
    }
}
