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
        if (ex instanceof java.nio.file.FileSystemException f) {
            // a file that could not be read or written after the command's own checks: name it, no stack trace
            err.println("cohort: " + f.getFile() + ": " + OutputPaths.reason(f) + (f.getOtherFile() == null ? "" : " (" + f.getOtherFile() + ")")
                    + "; check the path and its permissions");
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
        String number = numberExpected(ex);
        err.println("cohort: " + (number != null ? number : ex.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Usage: " + cl.getCommandSpec().qualifiedName() + " --help");
        return USAGE;
    }

    /**
     * For a number option given something else, one line naming the option and the form it takes
     * ({@code --seed: 'abc' is not a whole number; give e.g. --seed 7}) instead of picocli's "is not a long";
     * null for any other error.
     */
    static String numberExpected(CommandLine.ParameterException ex) {
        CommandLine.Model.ArgSpec a = ex.getArgSpec();
        if (a == null || ex.getValue() == null || ex.getMessage() == null || !ex.getMessage().matches("(?s).*is not an? (long|int|short|double|float)\\b.*")) {
            return null;
        }
        Class<?> t = a.type();
        boolean whole = t == long.class || t == Long.class || t == int.class || t == Integer.class || t == short.class
                || t == Short.class;
        boolean real = t == double.class || t == Double.class || t == float.class || t == Float.class;
        if (!whole && !real) {
            return null;
        }
        String name = a instanceof CommandLine.Model.OptionSpec o ? o.longestName() : a.paramLabel();
        return name + ": '" + ex.getValue() + "' is not " + (whole ? "a whole number" : "a number") + "; give e.g. "
                + name + (whole ? " 7" : " 0.5");
    }
}
