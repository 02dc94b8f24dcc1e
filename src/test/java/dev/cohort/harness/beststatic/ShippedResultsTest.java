package dev.cohort.harness.beststatic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The results shipped in {@code configs/best-static/} are the current ones: one per built-in, training and held-out
 * scenario under the key this
 * build computes, each readable, and nothing else. A changed scenario, reward, search or {@link CacheKey#FORMAT} fails
 * here rather than making every user's first evaluate search for minutes.
 */
class ShippedResultsTest {
    /** The training scenarios the shipped configurations validate on, beside the built-ins (their bar names best-static). */
    private static final List<String> TRAINING = List.of("configs/scenarios/train/bursty-colocation.yaml",
            "configs/scenarios/train/two-socket.yaml",
            // and the held-out ones, so that the results table's command searches nothing (best-static is a baseline:
            // searched on training seeds of the held-out scenario, which no learned policy ever saw)
            "configs/scenarios/heldout/code-trace.yaml", "configs/scenarios/heldout/two-socket-24.yaml",
            "configs/scenarios/heldout/loose-slo.yaml");
    private static final String REGENERATE = "regenerate with: bin/cohort best-static --scenarios "
            + String.join(",", Scenarios.builtInNames()) + "," + String.join(",", TRAINING)
            + " --refresh --best-static-cache configs/best-static (docs/best-static.md)";

    @Test
    void everyBuiltInScenarioHasItsResultUnderTheCurrentKey(@TempDir Path emptyCache) throws Exception {
        Store store = new Store(emptyCache, true);
        List<String> expected = new ArrayList<>();
        List<String> all = new ArrayList<>(Scenarios.builtInNames());
        all.addAll(TRAINING);
        Path repo = Path.of(System.getProperty("cohort.repo", "."));
        for (String spec : all) {
            Scenario sc = spec.endsWith(".yaml") ? Scenarios.load(repo.resolve(spec)) : Scenarios.builtIn(spec);
            String name = sc.name();
            String key = CacheKey.of(sc, SearchSettings.DEFAULT);
            List<String> warnings = new ArrayList<>();
            var hit = store.lookup(name, key, warnings::add);
            assertEquals(List.of(), warnings, name);
            assertTrue(hit.isPresent(), name + ": no shipped result for key " + key + "; " + REGENERATE);
            assertTrue(hit.get().source().startsWith("classpath:/configs/best-static/"), hit.get().source());
            assertTrue(hit.get().found().seeds().stream().allMatch(s -> s >= 1000), "searched on training seeds only");
            expected.add(Store.fileName(name, key));
        }
        Path shipped = repo.resolve("configs/best-static");
        try (Stream<Path> files = Files.list(shipped)) {
            assertEquals(expected.stream().sorted().toList(), files.map(f -> f.getFileName().toString()).sorted().toList(),
                    "configs/best-static holds exactly the current results; delete the files of old keys");
        }
    }
}
