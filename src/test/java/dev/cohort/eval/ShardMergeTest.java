package dev.cohort.eval;

import dev.cohort.harness.Shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CohortException;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shard files read back exactly, merged in grid order, and every mismatch refused in one line naming the files. */
class ShardMergeTest {
    @TempDir
    Path dir;

    private static final List<Scenario> SCENARIOS = List.of(Scenarios.resolve("steady"), Scenarios.resolve("membw"));
    private static final SimPolicies POLICIES = SimPolicies.asNamed(List.of("schedutil", "slo-guard"));

    private static SimRunner.Options options(String seconds) {
        return SimRunner.Options.defaults().withDuration(Long.parseLong(seconds.replace("s", "")) * 1_000_000_000L);
    }

    /** Runs shard {@code k} of {@code n} in this process and writes its file into {@code out}. */
    private Path shard(Path out, int k, int n, String duration, long[] seeds) throws Exception {
        SimRunner.Options o = options(duration);
        Shard s = new Shard(k, n);
        Summary slice = Evaluation.run(SCENARIOS, POLICIES, seeds, o, 2, null, s);
        return ShardFile.of(SCENARIOS, POLICIES, seeds, o, s, slice).write(out);
    }

    private List<Path> threeShards() throws Exception {
        List<Path> dirs = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Path d = dir.resolve("shard" + k);
            shard(d, k, 3, "1s", new long[]{1, 2, 3});
            dirs.add(d);
        }
        return dirs;
    }

    @Test
    void mergedShardsHoldTheUnshardedRunsInTheirOrder() throws Exception {
        long[] seeds = {1, 2, 3};
        Summary whole = Evaluation.run(SCENARIOS, POLICIES, seeds, options("1s"), 2, null);
        Summary merged = ShardMerge.merge(threeShards()).summary();
        assertEquals(whole.runs().size(), merged.runs().size());
        for (int i = 0; i < whole.runs().size(); i++) {
            RunResult a = whole.runs().get(i);
            RunResult b = merged.runs().get(i);
            assertEquals(List.of(a.scenario(), a.policy(), a.seed(), a.ticks(), a.fallbacks()),
                    List.of(b.scenario(), b.policy(), b.seed(), b.ticks(), b.fallbacks()), "run " + i);
            assertEquals(a.metrics(), b.metrics(), "every metric to the last bit, NaN included, run " + i);
            if (a.timeline() == null) {
                assertNull(b.timeline());
            } else {
                assertNotNull(b.timeline(), "run " + i + " kept its timeline");
                assertEquals(a.timeline().services(), b.timeline().services());
                assertEquals(a.timeline().size(), b.timeline().size());
                for (int t = 0; t < a.timeline().size(); t++) {
                    assertTrue(java.util.Arrays.equals(a.timeline().rows().get(t), b.timeline().rows().get(t)), "tick " + t);
                }
            }
        }
        assertTrue(Double.isNaN(merged.runs().getFirst().metrics().beWorkShare()), "steady has no best-effort work: NaN survives");
        assertEquals(Report.markdown(whole), Report.markdown(merged));
    }

    @Test
    void refusesMissingShards() throws Exception {
        List<Path> dirs = threeShards();
        var e = assertThrows(CohortException.class, () -> ShardMerge.merge(dirs.subList(0, 2)));
        assertEquals("shard 2/3 missing: run cohort evaluate --shard 2/3 with the same options and give its --out directory too",
                e.getMessage());
    }

    @Test
    void refusesAShardGivenTwice() throws Exception {
        List<Path> dirs = new ArrayList<>(threeShards());
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        Files.copy(dirs.get(1).resolve("shard-1-of-3.json"), copy.resolve("shard-1-of-3.json"));
        dirs.add(copy);
        var e = assertThrows(CohortException.class, () -> ShardMerge.merge(dirs));
        assertTrue(e.getMessage().startsWith("shard 1/3 is given twice: ") && e.getMessage().contains("copy"), e.getMessage());
    }

    @Test
    void refusesShardsOfDifferentSettingsOrGridsOrCuts() throws Exception {
        List<Path> dirs = threeShards();
        Path other = dir.resolve("other");
        shard(other, 2, 3, "2s", new long[]{1, 2, 3});
        var e = assertThrows(CohortException.class, () -> ShardMerge.merge(List.of(dirs.get(0), dirs.get(1), other)));
        assertTrue(e.getMessage().contains(" differ in duration: 1000000000 ns against 2000000000 ns; every shard must run with "
                + "the same settings"), e.getMessage());

        Path seeds = dir.resolve("seeds");
        shard(seeds, 2, 3, "1s", new long[]{1, 2, 4});
        e = assertThrows(CohortException.class, () -> ShardMerge.merge(List.of(dirs.get(0), dirs.get(1), seeds)));
        assertTrue(e.getMessage().contains("are shards of different grids"), e.getMessage());

        Path cut = dir.resolve("cut");
        shard(cut, 1, 2, "1s", new long[]{1, 2, 3});
        e = assertThrows(CohortException.class, () -> ShardMerge.merge(List.of(dirs.get(0), cut)));
        assertTrue(e.getMessage().contains("are slices of different cuts (0/3 against 1/2)"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void refusesOverlappingShards() throws Exception {
        List<Path> dirs = threeShards();
        // shard 2's file claiming one of shard 0's runs as well
        ShardFile zero = ShardFile.read(dirs.get(0).resolve("shard-0-of-3.json"));
        ShardFile two = ShardFile.read(dirs.get(2).resolve("shard-2-of-3.json"));
        List<ShardFile.Indexed> runs = new ArrayList<>(two.runs());
        runs.add(zero.runs().getFirst());
        new ShardFile(two.shard(), two.scenarios(), two.policies(), two.settings(), two.notes(), two.grid(), runs).write(dirs.get(2));
        var e = assertThrows(CohortException.class, () -> ShardMerge.merge(dirs));
        assertTrue(e.getMessage().matches("run \\(scenario \\w+, policy [\\w-]+, seed \\d\\) is in two shards: .* the shards overlap.*"),
                e.getMessage());
    }

    @Test
    void refusesADirectoryWithoutShardsAndAFileThatIsNotOne() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        var e = assertThrows(CohortException.class, () -> ShardMerge.merge(List.of(empty)));
        assertTrue(e.getMessage().contains("holds no shard file (shard-K-of-N.json)"), e.getMessage());
        Files.writeString(empty.resolve("shard-0-of-1.json"), "{\"format\": \"something else\"}");
        e = assertThrows(CohortException.class, () -> ShardMerge.merge(List.of(empty)));
        assertTrue(e.getMessage().contains("is not a shard file of this cohort"), e.getMessage());
        Files.writeString(empty.resolve("shard-0-of-1.json"), "{\"format\": \"" + ShardFile.FORMAT + "\", \"sha");
        e = assertThrows(CohortException.class, () -> ShardMerge.merge(List.of(empty)));
        assertTrue(e.getMessage().contains("cannot read the shard file") && e.getMessage().lines().count() == 1, e.getMessage());
    }
}
