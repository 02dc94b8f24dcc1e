package dev.cohort.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point: {@code main} is one line; {@link #run} lets tests drive the CLI with their own writers. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        int code = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        System.exit(code);
    }

    /** Runs the CLI with the given output and error writers and returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The configured command tree (exit codes and error handling in one place: {@link Errors}). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new CohortCommand());
        cl.setExecutionExceptionHandler(new Errors());
        cl.setParameterExceptionHandler(Errors::parameterError);
        return cl;
    }
}
