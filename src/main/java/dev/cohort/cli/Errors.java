package dev.cohort.cli;

import dev.cohort.platform.CohortException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The one place that maps failures to exit codes and messages: usage errors exit 2 with the usage line;
 * a {@link CohortException} prints its one-line message and exits 1; anything else prints a one-line
 * summary (the stack trace only with {@code --debug}) and exits 3.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int INTERNAL = 3;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean debug = CohortCommand.debugRequested(cl);
        if (ex instanceof CohortException) {
            err.println("cohort: " + ex.getMessage());
            if (debug) {
                ex.printStackTrace(err);
            }
            return FAILED;
        }
        err.println("cohort: internal error: " + ex + (debug ? "" : " (run with --debug for the stack trace)"));
        if (debug) {
            ex.printStackTrace(err);
        }
        return INTERNAL;
    }

    static int parameterError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("cohort: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Usage: " + cl.getCommandSpec().qualifiedName() + " --help");
        return USAGE;
    }
}
