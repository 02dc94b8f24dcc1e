package dev.cohort.cli;

import dev.cohort.harness.oracle.OracleOptions;
import java.util.List;
import picocli.CommandLine.Option;

/** The hindsight oracle's search options, the same on {@code simulate} and {@code evaluate}. */
final class OracleMixin {
    @Option(names = "--oracle-horizon", paramLabel = "TICKS", defaultValue = "" + OracleOptions.DEFAULT_HORIZON,
            description = "Oracle: ticks each candidate is played forward after its own, holding it (default: ${DEFAULT-VALUE}).")
    int horizon;

    @Option(names = "--oracle-width", paramLabel = "N", defaultValue = "" + OracleOptions.DEFAULT_WIDTH,
            description = "Oracle: levels per role in its uniform grid of candidates, from lowest to highest; the grid "
                    + "tries every combination, N^roles joint actions (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--oracle-candidates", split = ",", paramLabel = "X,Y,...",
            description = "Oracle: policies run alongside it whose decision each tick it also tries (default: every "
                    + "baseline and headroom).")
    List<String> candidates;

    @Option(names = "--oracle-no-neighbours",
            description = "Oracle: do not try its last choice and that choice one level up and down per role.")
    boolean noNeighbours;

    @Option(names = "--oracle-futures", paramLabel = "N", defaultValue = "0",
            description = "Oracle: look ahead on N other futures of the arrivals, drawn from the same processes, and "
                    + "score their mean, instead of the run's own (0, the default: it sees the draws).")
    int futures;

    /** The options as given, the rest at their defaults. */
    OracleOptions options() {
        OracleOptions o = OracleOptions.DEFAULT.withHorizon(horizon).withWidth(width).withNeighbours(!noNeighbours)
                .withFutures(futures);
        return candidates == null ? o : o.withPolicies(candidates);
    }
}
