package dev.cohort.harness.beststatic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.control.ControllerConfig;
import dev.cohort.control.RewardWeights;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache key changes with what changes a result (the scenario's values, the reward, the search) and with nothing else. */
class CacheKeyTest {
    private static final SearchSettings S = SearchSettings.DEFAULT;

    @Test
    void theSameContentLoadedTwiceHasTheSameKey() {
        // every part of a scenario prints by value: an object printed by identity would make each load a new key
        for (String name : Scenarios.builtInNames()) {
            Scenario first = Scenarios.builtIn(name);
            String a = CacheKey.of(first, S);
            assertEquals(a, CacheKey.of(Scenarios.builtIn(name), S), name);
            assertTrue(a.matches("[0-9a-f]{64}"), a);
            String text = CacheKey.text(first, S);
            assertTrue(!text.matches("(?s).*@[0-9a-f]{6,}.*") && !text.contains("classpath:/configs/scenarios"), text);
        }
    }

    @Test
    void commentsSpacingAndWhereItLivesDoNotCountItsValuesDo(@TempDir Path dir) throws Exception {
        String yaml = TinyScenarios.yaml("tiny", 0.4, true);
        Scenario a = Scenarios.load(TinyScenarios.write(dir, "a.yaml", yaml));
        Files.createDirectories(dir.resolve("elsewhere"));
        Scenario moved = Scenarios.load(TinyScenarios.write(dir.resolve("elsewhere"), "b.yaml",
                yaml.replaceFirst("# a comment[^\n]*\n", "").replace("  sockets: 1", "  sockets:   1   # one")));
        assertEquals(CacheKey.of(a, S), CacheKey.of(moved, S));

        Scenario busier = Scenarios.load(TinyScenarios.write(dir, "c.yaml", TinyScenarios.yaml("tiny", 0.5, true)));
        assertNotEquals(CacheKey.of(a, S), CacheKey.of(busier, S), "load 0.5 instead of 0.4");
        Scenario renamed = Scenarios.load(TinyScenarios.write(dir, "d.yaml", TinyScenarios.yaml("other", 0.4, true)));
        assertNotEquals(CacheKey.of(a, S), CacheKey.of(renamed, S));
        Scenario alone = Scenarios.load(TinyScenarios.write(dir, "e.yaml", TinyScenarios.yaml("tiny", 0.4, false)));
        assertNotEquals(CacheKey.of(a, S), CacheKey.of(alone, S), "no batch job");
        Scenario noRapl = Scenarios.load(TinyScenarios.write(dir, "f.yaml",
                yaml.replace("  coresPerSocket: 2", "  coresPerSocket: 2\n  rapl: {present: false}")));
        assertNotEquals(CacheKey.of(a, S), CacheKey.of(noRapl, S), "a machine without RAPL earns other rewards");
        Scenario withRapl = Scenarios.load(TinyScenarios.write(dir, "g.yaml",
                yaml.replace("  coresPerSocket: 2", "  coresPerSocket: 2\n  rapl: {present: true}")));
        assertEquals(CacheKey.of(a, S), CacheKey.of(withRapl, S), "RAPL present, as every machine had before the key existed");
    }

    @Test
    void aCopyOfTheTraceScenarioElsewhereHasTheBuiltInsKey(@TempDir Path dir) throws Exception {
        Path scenarios = Files.createDirectories(dir.resolve("scenarios"));
        Path traces = Files.createDirectories(dir.resolve("traces"));
        Path repo = Path.of(System.getProperty("cohort.repo", "."));
        Files.copy(repo.resolve("configs/scenarios/trace.yaml"), scenarios.resolve("trace.yaml"));
        Files.copy(repo.resolve("configs/traces/azure-llm-conv-2023.csv"), traces.resolve("azure-llm-conv-2023.csv"));
        Scenario copy = Scenarios.load(scenarios.resolve("trace.yaml"));
        assertEquals(CacheKey.of(Scenarios.builtIn("trace"), S), CacheKey.of(copy, S));
    }

    @Test
    void theRewardWeightsAndTheSearchSettingsCount() {
        Scenario sc = Scenarios.builtIn("colocation");
        String k = CacheKey.of(sc, S);
        assertEquals(k, CacheKey.of(sc, new SearchSettings(S.seeds(), S.screenNanos(), S.finalists(), S.fullGridMax(),
                ControllerConfig.DEFAULT, S.governor(), Map.of())), "equal settings, another instance");
        RewardWeights w = new RewardWeights(30, 1, 0.1, 2.5);
        ControllerConfig other = new ControllerConfig(11, 10, 100_000, 150.0, 40e9, 1.0, w, S.base().governor());
        List<SearchSettings> changed = List.of(
                new SearchSettings(S.seeds(), S.screenNanos(), S.finalists(), S.fullGridMax(), other, S.governor(), Map.of()),
                new SearchSettings(List.of(1000L, 1001L), S.screenNanos(), S.finalists(), S.fullGridMax(), S.base(), S.governor(), Map.of()),
                new SearchSettings(S.seeds(), 30_000_000_000L, S.finalists(), S.fullGridMax(), S.base(), S.governor(), Map.of()),
                new SearchSettings(S.seeds(), S.screenNanos(), 5, S.fullGridMax(), S.base(), S.governor(), Map.of()),
                S.withGovernor(S.governor().withSloOverride(true)),
                new SearchSettings(S.seeds(), S.screenNanos(), S.finalists(), S.fullGridMax(), S.base(), S.governor(),
                        Map.of(dev.cohort.policy.Role.CORE, List.of(0, 10))));
        for (SearchSettings c : changed) {
            assertNotEquals(k, CacheKey.of(sc, c), c.toString());
        }
        // the machine's normalisers in the base config are the simulator's own in every run: they do not count
        ControllerConfig host = S.base().withHost(95.0, 20e9);
        assertEquals(k, CacheKey.of(sc, new SearchSettings(S.seeds(), S.screenNanos(), S.finalists(), S.fullGridMax(), host,
                S.governor(), Map.of())));
    }
}
