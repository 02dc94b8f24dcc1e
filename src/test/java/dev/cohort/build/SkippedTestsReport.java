package dev.cohort.build;

import java.io.PrintStream;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints every skipped test on the console with its reason, one line each ({@code SKIPPED ProcStatHostTest: mpstat
 * is not installed}), so that a run says what it did not check without anyone opening surefire's XML. A test is
 * skipped when it is disabled or when an assumption fails (a host without the tool or privilege it needs).
 * Registered through {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class SkippedTestsReport implements TestExecutionListener {
    private final PrintStream out;

    public SkippedTestsReport() {
        this(System.err);
    }

    SkippedTestsReport(PrintStream out) {
        this.out = out;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        report(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            report(test, result.getThrowable().map(t -> t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage())
                    .orElse("aborted"));
        }
    }

    private void report(TestIdentifier test, String reason) {
        String why = reason == null || reason.isBlank() ? "no reason given" : reason.strip().replaceFirst("^Assumption failed: ", "");
        out.println("SKIPPED " + name(test) + ": " + why.replace('\n', ' '));
        out.flush();
    }

    /** {@code Class.method} for a test method, the simple class name for a class, else the display name. */
    static String name(TestIdentifier test) {
        return test.getSource().map(s -> switch (s) {
            case MethodSource m -> simple(m.getClassName()) + "." + m.getMethodName();
            case ClassSource c -> simple(c.getClassName());
            default -> test.getDisplayName();
        }).orElse(test.getDisplayName());
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1).replace('$', '.');
    }
}
