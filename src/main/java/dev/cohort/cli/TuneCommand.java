package dev.cohort.cli;

import dev.cohort.service.Operator;
import dev.cohort.service.Tune;
import dev.cohort.service.config.DaemonConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cohort tune}: one knob by hand, in units people use; held by the daemon when it runs. */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = {"Sets one knob by hand, in units people use; held by the daemon when it runs.",
                "Validated against the host, printing requested and applied values.",
                "With the daemon running, it applies the change and holds it as a manual override until "
                        + "'cohort tune release'; without it, the change is written directly and its original saved for cohort restore.",
                "'cohort tune budget 120W|80%%' moves the running daemon's power budget the same way."},
        subcommands = {TuneCommand.Freq.class, TuneCommand.FreqMin.class, TuneCommand.Quota.class, TuneCommand.Weight.class,
                TuneCommand.Mba.class, TuneCommand.Epp.class, TuneCommand.Budget.class, TuneReleaseCommand.class})
public final class TuneCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Configuration file (socket, state directory, cgroups).")
    Path config;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Lets a VALUE that starts with a dash ({@code -5%}) reach the value check, which says what is allowed, instead of
     * picocli taking it for an unknown option and then missing the VALUE. Options the command knows still parse.
     */
    static final class DashValues implements picocli.CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            spec.parser().unmatchedOptionsArePositionalParams(true);
            return spec;
        }
    }

    /** The shared shape: TARGET VALUE, one call into {@link Operator#tune}, then the results. */
    abstract static class Knob implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.ParentCommand
        TuneCommand parent;

        @Parameters(index = "0", paramLabel = "TARGET", description = "What to set (see the command's description).")
        String target;

        @Parameters(index = "1", paramLabel = "VALUE", description = "The value with its unit.")
        String value;

        @picocli.CommandLine.Parameters(index = "2..*", hidden = true, arity = "0..*")
        java.util.List<String> extra = new java.util.ArrayList<>();

        @Option(names = "--force", description = "Set a quota on a latency-critical cgroup too (refused without it: it"
                + " would throttle the service cohort protects).")
        boolean force;

        abstract String kind();

        @Override
        public Integer call() {
            if (!extra.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), (extra.getFirst().startsWith("-")
                        ? "Unknown option: '" : "Unexpected parameter: '") + extra.getFirst() + "'");
            }
            DaemonConfig cfg = DaemonConfig.load(parent.config);
            Operator.TuneOutcome o = Operator.tune(cfg, new Tune.Request(kind(), target, value, force));
            PrintWriter out = spec.commandLine().getOut();
            out.println("requested " + kind() + " " + target + " = " + value);
            boolean ok = true;
            for (Operator.KnobResult r : o.results()) {
                out.println(describe(r));
                ok &= r.set();
            }
            out.println(closing(o, cfg));
            return ok ? 0 : Errors.FAILED;
        }

        /** One line per knob: the knob, requested and applied, and what happened. */
        static String describe(Operator.KnobResult r) {
            boolean why = !r.detail().isEmpty() && !r.outcome().equals("clamped") && !r.outcome().equals("applied");
            return String.format("%-16s %-14s requested %-22s applied %-16s %s%s", r.target(), r.label(), r.requested(),
                    r.applied().isEmpty() ? "-" : r.applied(), r.outcome(), why ? ": " + r.detail() : "");
        }

        /** The last line: what is held or written now; nothing when no knob took the value (each result says why). */
        private String closing(Operator.TuneOutcome o, DaemonConfig cfg) {
            java.util.Set<String> why = new java.util.LinkedHashSet<>();
            boolean set = false;
            for (Operator.KnobResult r : o.results()) {
                set |= r.set();
                if (!r.detail().isEmpty()) {
                    why.add(r.detail());
                }
            }
            if (!set) {
                return (o.viaDaemon() ? "nothing is held: the running daemon could not set " : "nothing was written: cohort could not set ")
                        + (o.results().size() == 1 ? "this knob" : "any of these knobs")
                        + (why.isEmpty() ? "" : " (" + String.join("; ", why) + ")");
            }
            return o.viaDaemon() ? "held by the running daemon as a manual override until: cohort tune release " + kind() + " " + target
                    : "written directly (no daemon running); the original is saved in " + cfg.stateFile() + " for cohort restore";
        }
    }

    @Command(name = "freq", mixinStandardHelpOptions = true, modelTransformer = DashValues.class,
            description = "Maximum frequency of a frequency domain: TARGET is its index, its policy name or all; VALUE e.g. 2.4GHz, 2400MHz.")
    static final class Freq extends Knob {
        String kind() {
            return "freq";
        }
    }

    @Command(name = "freq-min", mixinStandardHelpOptions = true, modelTransformer = DashValues.class,
            description = "Minimum frequency of a frequency domain: TARGET is its index, its policy name or all; VALUE e.g. 1.2GHz.")
    static final class FreqMin extends Knob {
        String kind() {
            return "freq-min";
        }
    }

    @Command(name = "quota", mixinStandardHelpOptions = true, modelTransformer = DashValues.class,
            description = "CPU quota of a managed cgroup: TARGET is its name; VALUE in percent of one CPU (250%% = 2.5 CPUs) or max.")
    static final class Quota extends Knob {
        String kind() {
            return "quota";
        }
    }

    @Command(name = "weight", mixinStandardHelpOptions = true, modelTransformer = DashValues.class,
            description = "CPU weight of a managed cgroup: TARGET is its name; VALUE 1..10000 (100 is the kernel's default).")
    static final class Weight extends Knob {
        String kind() {
            return "weight";
        }
    }

    @Command(name = "mba", mixinStandardHelpOptions = true, modelTransformer = DashValues.class,
            description = "Memory bandwidth of the best-effort group: TARGET is a memory domain index or all; VALUE e.g. 50%%.")
    static final class Mba extends Knob {
        String kind() {
            return "mba";
        }
    }

    @Command(name = "budget", mixinStandardHelpOptions = true, modelTransformer = DashValues.class,
            description = {"The running daemon's package power budget, held in place of the configured one (power_budget) "
                    + "by the configured balancer until 'cohort tune release budget' or 'cohort tune budget off'.",
                    "VALUE: watts (120W, or 120) or a percent of the TDP the daemon normalises energy by (80%%: host.tdp, "
                            + "or the simulated machine's peak power); never below the machine's idle power.",
                    "A restart returns to the configured budget, as it ends every manual override."})
    static final class Budget implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.ParentCommand
        TuneCommand parent;

        @Parameters(index = "0", paramLabel = "VALUE", description = "120W, 80%%, or off.")
        String value;

        @picocli.CommandLine.Parameters(index = "1..*", hidden = true, arity = "0..*")
        java.util.List<String> extra = new java.util.ArrayList<>();

        @Override
        public Integer call() {
            if (!extra.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), (extra.getFirst().startsWith("-")
                        ? "Unknown option: '" : "Unexpected parameter: '") + extra.getFirst() + "'");
            }
            DaemonConfig cfg = DaemonConfig.load(parent.config);
            Operator.TuneOutcome o = Operator.tune(cfg, new Tune.Request(Tune.BUDGET, "", value));
            PrintWriter out = spec.commandLine().getOut();
            out.println("requested budget " + value);
            out.println(o.budget());
            return 0;
        }
    }

    @Command(name = "epp", mixinStandardHelpOptions = true, modelTransformer = DashValues.class,
            description = "Energy-performance preference: TARGET is a frequency domain or all; VALUE a name (balance_power, ...) or 0..255.")
    static final class Epp extends Knob {
        String kind() {
            return "epp";
        }
    }
}
