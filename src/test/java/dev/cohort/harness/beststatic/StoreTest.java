package dev.cohort.harness.beststatic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.control.ControllerConfig;
import dev.cohort.control.GovernorConfig;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.policy.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kept results: written whole, read back as written, and a file that is not a result searched again with one warning. */
class StoreTest {
    @TempDir
    Path dir;

    private static final SearchSettings SMALL = new SearchSettings(List.of(1000L, 1001L), 500_000_000L, 2, 0,
            ControllerConfig.DEFAULT, GovernorConfig.EVALUATION, Map.of(Role.CORE, List.of(0, 10), Role.MEMORY, List.of(9),
            Role.QUOTA, List.of(0, 9)));

    /** A listener that records warnings and the searches it was told of. */
    static final class Recorder implements BestStatic.Listener {
        final List<String> warnings = new ArrayList<>();
        final List<String> searches = new ArrayList<>();

        @Override
        public void warn(String line) {
            warnings.add(line);
        }

        @Override
        public BestStatic.Progress searching(String scenario, long ticks) {
            searches.add(scenario);
            return BestStatic.Progress.NONE;
        }
    }

    private Scenario tiny() throws Exception {
        return TinyScenarios.load(dir, "tiny", 0.4, true);
    }

    @Test
    void aResultIsSearchedOnceThenReadBackAsWritten() throws Exception {
        Scenario sc = tiny();
        Store store = new Store(dir.resolve("cache"), false);
        Recorder r = new Recorder();
        BestStatic.Result first = new BestStatic(store, SMALL, 2, false).find(sc, r);
        assertTrue(first.searched());
        Path file = store.file("tiny", CacheKey.of(sc, SMALL));
        assertEquals(file.toString(), first.where());
        assertTrue(Files.readString(file).contains("\"policy\" : \"" + first.found().spec() + "\""));

        BestStatic.Result again = new BestStatic(store, SMALL, 2, false).find(sc, r);
        assertFalse(again.searched());
        assertEquals(first.found(), again.found(), "the file holds the whole result");
        assertEquals(List.of("tiny"), r.searches);
        assertEquals(List.of(), r.warnings);

        BestStatic.Result refreshed = new BestStatic(store, SMALL, 2, true).find(sc, r);
        assertTrue(refreshed.searched());
        assertEquals(first.found().finalists(), refreshed.found().finalists(), "the search is deterministic");
    }

    @Test
    void aCorruptFileIsSearchedAgainWithOneWarningNamingIt() throws Exception {
        Scenario sc = tiny();
        Store store = new Store(dir.resolve("cache"), false);
        Found good = new BestStatic(store, SMALL, 2, false).find(sc, new Recorder()).found();
        Path file = store.file("tiny", good.key());
        String valid = Files.readString(file);
        List<String> bad = List.of("", "{\"format\": ", "[1, 2]", valid.replace(good.key(), "0".repeat(64)),
                valid.substring(0, valid.length() / 2), valid.replaceFirst("\"core\" : 11", "\"core\" : 3"),
                valid.replaceFirst("\"seed_rewards\" : \\[ [^,\\]]+", "\"seed_rewards\" : [ \"x\""),
                valid.replace("\"finalists\"", "\"finalistz\""));
        for (String text : bad) {
            Files.writeString(file, text);
            Recorder r = new Recorder();
            BestStatic.Result res = new BestStatic(store, SMALL, 2, false).find(sc, r);
            assertTrue(res.searched(), text);
            assertEquals(1, r.warnings.size(), text + ": " + r.warnings);
            String w = r.warnings.getFirst();
            assertTrue(w.startsWith(file + " is not a usable best-static result (") && w.endsWith("); searching again"), w);
            assertEquals(1, w.lines().count(), w);
            assertTrue(!w.contains("Exception") && !w.contains("\tat "), w);
            assertEquals(good.finalists(), res.found().finalists());
            assertEquals(good.finalists(), FoundJson.read(Files.readString(file), good.key()).finalists(), "rewritten whole");
        }
    }

    @Test
    void aCorruptCacheFileOfABuiltInScenarioGivesWayToTheShippedResult() throws Exception {
        Store store = new Store(dir.resolve("cache"), true);
        String key = CacheKey.of(dev.cohort.platform.sim.Scenarios.builtIn("steady"), SearchSettings.DEFAULT);
        Path file = store.file("steady", key);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"format\": ");
        List<String> warnings = new ArrayList<>();
        var hit = store.lookup("steady", key, warnings::add);
        assertTrue(hit.isPresent() && hit.get().source().startsWith("classpath:"), String.valueOf(hit));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().startsWith(file + " is not a usable best-static result (not JSON")
                && warnings.getFirst().endsWith("; using the shipped result, and writing it there"), warnings.getFirst());
        assertEquals(hit.get().found(), FoundJson.read(Files.readString(file), key), "healed: the shipped result written over it");
        warnings.clear();
        assertEquals(file.toString(), store.lookup("steady", key, warnings::add).orElseThrow().source());
        assertEquals(List.of(), warnings);
    }

    @Test
    void concurrentWritersLeaveOneWholeResult() throws Exception {
        Scenario sc = tiny();
        Store store = new Store(dir.resolve("cache"), false);
        Found f = new BestStatic(store, SMALL, 2, false).find(sc, new Recorder()).found();
        Path file = store.file("tiny", f.key());
        // writers race with different results under one key while a reader reads the file throughout
        List<Found> versions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            versions.add(new Found(f.scenario(), f.key(), f.finalists(), f.grid(), f.seeds(), f.screenNanos(), f.searchedAt(), i));
        }
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (Found v : versions) {
            writers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int n = 0; n < 50; n++) {
                        store.save(v);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        Thread reader = Thread.ofPlatform().start(() -> {
            while (writing.get()) {
                try {
                    FoundJson.read(Files.readString(file), f.key());
                } catch (Throwable t) {
                    failures.add(t);
                }
            }
        });
        start.countDown();
        for (Thread w : writers) {
            w.join();
        }
        writing.set(false);
        reader.join();
        assertEquals(List.of(), List.copyOf(failures), "every read saw a whole file");
        Found last = FoundJson.read(Files.readString(file), f.key());
        assertTrue(versions.stream().anyMatch(v -> v.wallSeconds() == last.wallSeconds()));
        try (Stream<Path> left = Files.list(dir.resolve("cache"))) {
            assertEquals(List.of(file.getFileName().toString()), left.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
        }
    }

    @Test
    void theCacheDirectoryComesFromTheEnvironmentThenXdgThenHome() {
        assertEquals(Path.of("/ci/cache"), Store.defaultDir(Map.of(Store.ENV, "/ci/cache", "XDG_CACHE_HOME", "/x"), "/home/u"));
        assertEquals(Path.of("/x/cohort/best-static"), Store.defaultDir(Map.of("XDG_CACHE_HOME", "/x"), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/cohort/best-static"), Store.defaultDir(Map.of("XDG_CACHE_HOME", "relative"), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/cohort/best-static"), Store.defaultDir(Map.of(), "/home/u"));
        assertEquals("my_scenario-0123456789abcdef.json", Store.fileName("my scenario", "0123456789abcdef" + "0".repeat(48)));
    }
}
