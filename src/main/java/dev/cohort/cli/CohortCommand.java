package dev.cohort.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code cohort} command: lists the subcommands. */
@Command(name = "cohort", mixinStandardHelpOptions = true, versionProvider = CohortCommand.Version.class,
        description = "Cooperating learned agents that run a server's workloads at the lowest energy that meets their latency targets.",
        subcommands = {CommandLine.HelpCommand.class, SimulateCommand.class, EvaluateCommand.class, BestStaticCommand.class, TrainCommand.class,
                DoctorCommand.class, ModelCommand.class, BenchCommand.class, RunCommand.class, StatusCommand.class,
                TuneCommand.class, RestoreCommand.class, JournalCommand.class, DynamicsCommand.class, CostCommand.class})
public final class CohortCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces with errors.")
    boolean debug;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static boolean debugRequested(CommandLine cl) {
        CommandLine c = cl;
        while (c.getParent() != null) {
            c = c.getParent();
        }
        return c.getCommand() instanceof CohortCommand top && top.debug;
    }

    /** Prints the version from the jar manifest, or the build's version when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = CohortCommand.class.getPackage().getImplementationVersion();
            return new String[]{"cohort " + (v == null ? "0.1.0-SNAPSHOT" : v),
                    "Java " + Runtime.version() + " on " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
        }
    }
}
