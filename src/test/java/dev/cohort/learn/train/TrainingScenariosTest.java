package dev.cohort.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.learn.env.ScenarioSampler;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is held out stays out of training and its validation, however it is named; episode draws follow (seed, j). */
class TrainingScenariosTest {
    private static final Path REPO = Path.of(System.getProperty("cohort.repo", "."));

    @TempDir
    Path dir;

    private TrainConfig config(String scenarios, String eval) {
        return TrainConfig.parse(dir.resolve("t.yaml"), "algorithm: vdn\nscenarios: [" + scenarios + "]\nevaluation: {scenarios: ["
                + eval + "]}\nvariation: {machineSizes: [1x4, 1x8, 1x16, 1x32, 2x8, 2x16]}\n");
    }

    @Test
    void everyHeldOutFileIsRefusedEvenWhenCopiedAndRenamed() throws Exception {
        try (Stream<Path> files = Files.list(REPO.resolve("configs/scenarios/heldout"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                assertTrue(TrainingScenarios.heldOutName(p.toString()) != null, p.toString());
                Path copy = dir.resolve("innocent-" + p.getFileName());
                Files.writeString(copy, Files.readString(p).replace("../../traces/", REPO.toAbsolutePath() + "/configs/traces/"));
                assertNull(TrainingScenarios.heldOutName(copy.toString()), "the name alone does not tell");
                TrainConfig cfg = config("colocation, \"" + copy + "\"", "colocation");
                var e = assertThrows(CohortException.class, () -> TrainingScenarios.training(cfg));
                assertTrue(e.getMessage().startsWith("t.yaml: scenarios: '" + copy + "' is named heldout-"), e.getMessage());
                assertFalse(e.getMessage().contains("\n"));
                TrainConfig ev = config("colocation", "\"" + copy + "\"");
                e = assertThrows(CohortException.class, () -> TrainingScenarios.validation(ev));
                assertTrue(e.getMessage().startsWith("t.yaml: evaluation.scenarios: '" + copy + "' is named heldout-"), e.getMessage());
            }
        }
    }

    @Test
    void aHeldOutSizeOrTheCodeTraceIsRefusedUnderAnyName() throws Exception {
        Path code = REPO.resolve("configs/scenarios/heldout/code-trace.yaml");
        Path copy = dir.resolve("replay.yaml");
        Files.writeString(copy, Files.readString(code).replace("name: heldout-code-trace", "name: replay")
                .replace("../../traces/", REPO.toAbsolutePath() + "/configs/traces/"));
        assertEquals("replays the held-out Azure LLM code trace (service code)", TrainingScenarios.heldOut(Scenarios.load(copy)));
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, Files.readString(REPO.resolve("configs/scenarios/heldout/two-socket-24.yaml"))
                .replace("name: heldout-two-socket-24", "name: big"));
        var e = assertThrows(CohortException.class, () -> TrainingScenarios.training(config("\"" + big + "\"", "colocation")));
        assertEquals("t.yaml: scenarios: '" + big + "' has 24 CPUs; training and its validation run at most 32 and never 24 (the "
                + "held-out size): remove it from the training scenarios", e.getMessage());
        assertTrue(TrainingScenarios.heldOut(Scenarios.builtIn("large")) != null);
    }

    @Test
    void theShippedTrainingScenariosPassAndFitTheSizes() {
        TrainConfig cfg = config("colocation, membw, diurnal, steady, trace, configs/scenarios/train/bursty-colocation.yaml, "
                + "configs/scenarios/train/two-socket.yaml", "colocation, membw, diurnal, trace, configs/scenarios/train/bursty-colocation.yaml");
        List<Scenario> bases = TrainingScenarios.training(cfg);
        assertEquals(7, bases.size());
        for (Scenario b : bases) {
            assertNull(TrainingScenarios.heldOut(b), b.name());
            assertFalse(ScenarioSampler.sizesFor(b, cfg.variation()).isEmpty(), b.name());
        }
        assertEquals(5, TrainingScenarios.validation(cfg).size());
    }

    @Test
    void everyShippedConfigurationTrainsOnTheWidenedDistributionAndValidatesOnTenSeedsAndSixScenarios() {
        TrainConfig qmix = TrainConfig.load(REPO.resolve("configs/qmix.yaml"));
        assertEquals(7, TrainingScenarios.training(qmix).size());
        assertEquals(6, TrainingScenarios.validation(qmix).size());
        for (String a : new String[]{"iql", "vdn", "qmix", "awrq", "maddpg"}) {
            TrainConfig cfg = TrainConfig.load(REPO.resolve("configs/" + a + ".yaml"));
            assertEquals(6, cfg.variation().machineSizes().size(), a);
            assertEquals(2, cfg.variation().sloMax(), a);
            assertTrue(cfg.variation().batchMix().varies() && cfg.variation().burstyShare() > 0, a);
            assertEquals(qmix.variation(), cfg.variation(), a + ": one distribution for every algorithm");
            assertEquals(qmix.scenarios(), cfg.scenarios(), a);
            assertEquals(qmix.evalScenarios(), cfg.evalScenarios(), a);
            assertEquals(10, cfg.evalSeedList().length, a);
        }
    }

    @Test
    void episodeJsVariantIsAFunctionOfTheRunSeedAndJ() {
        TrainConfig cfg = TrainConfig.parse(dir.resolve("t.yaml"), """
                algorithm: vdn
                scenarios: [colocation]
                variation:
                  load: 0.2
                  machineSizes: [1x4, 1x8, 1x16, 1x32, 2x8, 2x16]
                  sloRange: [0.5, 2]
                  loadScale: [0.6, 1.3]
                  batchMix: {asWritten: 2, none: 1, cpu: 1, stream: 1, both: 1}
                  burstyShare: 0.25
                """);
        Scenario base = Scenarios.builtIn("colocation");
        for (long j = 0; j < 40; j++) {
            Scenario a = ScenarioSampler.sample(base, cfg.variation(), Collector.episodeRng(7, j).split());
            assertEquals(a, ScenarioSampler.sample(base, cfg.variation(), Collector.episodeRng(7, j).split()), "episode " + j);
            assertNotEquals(a, ScenarioSampler.sample(base, cfg.variation(), Collector.episodeRng(8, j).split()), "another run seed");
            assertNotEquals(a, ScenarioSampler.sample(base, cfg.variation(), Collector.episodeRng(7, j + 1).split()), "another episode");
        }
    }
}
