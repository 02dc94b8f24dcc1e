package dev.cohort.platform;

/**
 * An error a user can act on: bad input, a missing file, a refused write. Its message is one line that
 * names the problem and the fix; the CLI prints it without a stack trace (unless {@code --debug}).
 */
public class CohortException extends RuntimeException {
    public CohortException(String message) {
        super(message);
    }

    public CohortException(String message, Throwable cause) {
        super(message, cause);
    }
}
