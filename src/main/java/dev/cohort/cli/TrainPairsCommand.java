package dev.cohort.cli;

import dev.cohort.learn.train.PairTable;
import dev.cohort.learn.train.TrainConfig;
import dev.cohort.policy.Role;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort train pairs --config FILE}: what a run's paired advantages say, beside what its weights make of them. */
@Command(name = "pairs", mixinStandardHelpOptions = true,
        description = {"Reads the checkpoint of a run with learning.pairedAdvantage (the configuration's out directory) and "
                + "prints, for one role, per training scenario (and all together), band of the branched agent's state and "
                + "direction of the level tried (lower or higher than the level taken): the pairs in the replay, their mean "
                + "in the units the paired loss fits (the served values' units where energy is valued apart), the mean of "
                + "their energy parts in the same units, the mean difference the run's weights give between the two levels (the "
                + "averaged weights where the run averages them), the pairs' spread, the fit's root mean square error and the "
                + "share of pairs above zero, where the level tried did better, and the branched states' mean load and mean excess of "
                + "the load's recent peak over it (docs/training.md §4, \"Paired advantages\")."})
final class TrainPairsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The run's training configuration.")
    Path config;

    @Option(names = "--role", paramLabel = "ROLE", defaultValue = "core",
            description = "core, memory or quota (default: ${DEFAULT-VALUE}).")
    String role;

    @Option(names = "--by", paramLabel = "BAND", defaultValue = "util",
            description = "Band the states by util (their load: the domain's utilisation; memory: bandwidth, quota: usage) or slack "
                    + "(the latency slack the agent saw) or, for the core role, spread (how much the domain's load swings: "
                    + "util_spread), or step (how many levels the level tried is from the one taken), or peak (how far the load's recent "
                    + "peak is above its present load: load_peak for the core role, the services' lc_peak for the quota role), or by how the episode was drawn from its "
                    + "file: slo-factor (its SLO tighter, near or looser), load-scale (its peak load lighter, near or heavier) or "
                    + "arrivals (its own, or an on/off source swapped in), as-written episodes apart (default: ${DEFAULT-VALUE}).")
    String by;

    @Override
    public Integer call() {
        Role r;
        try {
            r = Role.parse(role);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--role: " + e.getMessage());
        }
        PairTable.By band = switch (by) {
            case "util" -> PairTable.By.UTIL;
            case "slack" -> PairTable.By.SLACK;
            case "spread" -> PairTable.By.SPREAD;
            case "step" -> PairTable.By.STEP;
            case "peak" -> PairTable.By.PEAK;
            case "slo-factor" -> PairTable.By.SLO_FACTOR;
            case "load-scale" -> PairTable.By.LOAD_SCALE;
            case "arrivals" -> PairTable.By.ARRIVALS;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--by: util, slack, spread, step, peak, slo-factor, load-scale or arrivals, got '" + by + "'");
        };
        spec.commandLine().getOut().print(PairTable.text(PairTable.of(TrainConfig.load(config), r, band)));
        return 0;
    }
}
