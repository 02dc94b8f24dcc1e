package dev.cohort.cli;

import dev.cohort.platform.CohortException;
import dev.cohort.service.Operator;
import dev.cohort.service.config.DaemonConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cohort tune release}: hands knobs held by a manual override back to the daemon's agents. */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = {"Ends manual overrides the running daemon holds: 'release freq 0', 'release quota batch', 'release budget',"
                + " or 'release all' (the tuned power budget too).",
                "The knob keeps its value until the agents decide otherwise; a released budget returns to the configured one."})
public final class TuneReleaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    TuneCommand parent;

    @Parameters(index = "0", paramLabel = "KIND", description = "freq, freq-min, quota, weight, mba, epp, budget, or all.")
    String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TARGET", description = "The same target as when it was tuned.")
    String target;

    @Override
    public Integer call() {
        boolean all = kind.equals("all");
        boolean budget = kind.equals(dev.cohort.service.Tune.BUDGET);
        if (!all && !budget && target == null) {
            throw new CohortException("release " + kind + " needs a TARGET (e.g. release freq 0), or use release all");
        }
        Operator.ReleaseOutcome a = Operator.release(DaemonConfig.load(parent.config), all ? null : kind, target);
        if (a.budget() != null) {
            spec.commandLine().getOut().println("released the tuned power budget; now " + a.budget());
        }
        if (a.released().isEmpty() && a.budget() == null) {
            spec.commandLine().getOut().println("no manual override was held for " + (all ? "any knob" : budget ? "the power budget"
                    : kind + " " + target));
        }
        for (Operator.Released r : a.released()) {
            spec.commandLine().getOut().println("released " + r.target() + " " + r.control() + " (was held at " + r.value() + ")");
        }
        for (Operator.KnobResult r : a.putBack()) {
            spec.commandLine().getOut().println("put back the value before the override: " + TuneCommand.Knob.describe(r));
        }
        return 0;
    }
}
