package dev.cohort.eval;

import dev.cohort.platform.CohortException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code evaluate merge}: the shard files of one sharded evaluation ({@link ShardFile}) back into the one set of runs an
 * unsharded evaluation would have produced, in the same order. It refuses, in one line naming the files, shards of
 * different grids or settings, a shard given twice, runs found in two shards, and missing shards or runs.
 */
public final class ShardMerge {
    private ShardMerge() {
    }

    /**
     * The merged evaluation.
     *
     * @param summary every run of the grid, grouped as an unsharded run groups them
     * @param files   the shard files read
     */
    public record Merged(Summary summary, List<Path> files) {
    }

    /** Reads every shard file in {@code dirs} and merges them. */
    public static Merged merge(List<Path> dirs) {
        List<Path> files = new ArrayList<>();
        for (Path d : dirs) {
            for (Path f : ShardFile.find(d)) {
                if (!files.contains(f.toAbsolutePath().normalize())) {
                    files.add(f.toAbsolutePath().normalize());
                }
            }
        }
        List<ShardFile> shards = files.stream().map(ShardFile::read).toList();
        return new Merged(merge(files, shards), List.copyOf(files));
    }

    /** Merges shards read from {@code files} (same order); package-private for testing. */
    static Summary merge(List<Path> files, List<ShardFile> shards) {
        ShardFile first = shards.getFirst();
        Path firstFile = files.getFirst();
        ShardFile[] byIndex = new ShardFile[first.shard().count()];
        Path[] fileOf = new Path[byIndex.length];
        for (int i = 0; i < shards.size(); i++) {
            ShardFile s = shards.get(i);
            Path f = files.get(i);
            sameRun(firstFile, first, f, s);
            int k = s.shard().index();
            if (byIndex[k] != null) {
                throw new CohortException("shard " + s.shard() + " is given twice: " + fileOf[k] + " and " + f + "; give each shard once");
            }
            byIndex[k] = s;
            fileOf[k] = f;
        }
        List<String> missing = new ArrayList<>();
        for (int k = 0; k < byIndex.length; k++) {
            if (byIndex[k] == null) {
                missing.add(k + "/" + byIndex.length);
            }
        }
        if (!missing.isEmpty()) {
            throw new CohortException("shard" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + " missing: run "
                    + "cohort evaluate --shard " + missing.getFirst() + " with the same options and give its --out directory too");
        }
        RunResult[] runs = new RunResult[first.grid().size()];
        Path[] runFile = new Path[runs.length];
        for (int k = 0; k < byIndex.length; k++) {
            for (ShardFile.Indexed r : byIndex[k].runs()) {
                if (runs[r.index()] != null) {
                    throw new CohortException("run " + describe(first.grid().get(r.index())) + " is in two shards: " + runFile[r.index()]
                            + " and " + fileOf[k] + "; the shards overlap, so they are not the slices of one --shard K/N");
                }
                runs[r.index()] = r.run();
                runFile[r.index()] = fileOf[k];
            }
        }
        for (int i = 0; i < runs.length; i++) {
            if (runs[i] == null) {
                throw new CohortException("run " + describe(first.grid().get(i)) + " is in no shard: a shard file is incomplete; "
                        + "run its shard again");
            }
        }
        return new Summary(first.scenarios(), first.policies(), List.of(runs), first.notes());
    }

    /** Refuses {@code s} unless it is a slice of the same evaluation as {@code first}. */
    private static void sameRun(Path firstFile, ShardFile first, Path file, ShardFile s) {
        String both = firstFile + " and " + file;
        if (s.shard().count() != first.shard().count()) {
            throw new CohortException(both + " are slices of different cuts (" + first.shard() + " against " + s.shard()
                    + "); merge the shards of one --shard K/N");
        }
        if (!s.scenarios().equals(first.scenarios())) {
            throw new CohortException(both + " are shards of different grids: scenarios " + String.join(",", first.scenarios())
                    + " against " + String.join(",", s.scenarios()) + "; merge the shards of one evaluation");
        }
        if (!s.policies().equals(first.policies())) {
            throw new CohortException(both + " are shards of different grids: policies " + String.join(",", first.policies())
                    + " against " + String.join(",", s.policies()) + "; merge the shards of one evaluation");
        }
        if (!s.grid().equals(first.grid())) {
            throw new CohortException(both + " are shards of different grids: " + first.grid().size() + " runs against "
                    + s.grid().size() + " (other seeds or oracle seed limits); merge the shards of one evaluation");
        }
        Set<String> keys = new LinkedHashSet<>(first.settings().keySet());
        keys.addAll(s.settings().keySet());
        for (String k : keys) {
            String a = first.settings().get(k);
            String b = s.settings().get(k);
            if (!Objects.equals(a, b)) {
                throw new CohortException(both + " differ in " + k + ": " + (a == null ? "absent" : a) + " against "
                        + (b == null ? "absent" : b) + "; every shard must run with the same settings");
            }
        }
        if (!s.notes().equals(first.notes())) {
            throw new CohortException(both + " differ in their notes (" + String.join(" / ", first.notes()) + " against "
                    + String.join(" / ", s.notes()) + "); every shard must run with the same settings");
        }
    }

    private static String describe(Evaluation.GridRun r) {
        return "(scenario " + r.scenario() + ", policy " + r.policy() + ", seed " + r.seed() + ")";
    }
}
