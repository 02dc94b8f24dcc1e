package dev.cohort.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The one way a full set of runs becomes an evaluation's files: the tables, CSV and JSON ({@link Report}: runs.csv,
 * summary.*, verdicts.*, oracle-gain.csv) and the plots ({@link Plots}). An unsharded {@code evaluate} and
 * {@code evaluate merge} both call it, so a merge writes what one run writes, every cross-policy column recomputed from
 * the merged runs.
 */
public final class Results {
    private Results() {
    }

    /** Writes every file into {@code dir}; returns the plots. */
    public static List<Path> write(Summary s, Path dir) throws IOException {
        Report.write(s, dir);
        return Plots.write(s, dir);
    }
}
