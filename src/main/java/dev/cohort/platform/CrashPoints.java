package dev.cohort.platform;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test hook that makes the process die at a chosen event, as {@code kill -9} would there, so a crash-safety test
 * can reproduce a round from its seed. Off unless the system property {@code cohort.test.crashAt} is set to
 * {@code EVENT:N}: the process halts (no shutdown hook, no restore) at the N-th occurrence of EVENT. Events:
 * {@code before-save}, {@code after-save} (the state file's atomic replace), {@code before-write}, {@code after-write}
 * (a knob write while running), {@code before-restore-write}, {@code after-restore-write} (a knob write by a restore).
 * Costs one volatile read per event when off.
 */
public final class CrashPoints {
    /** The exit status of a halt here, as a shell reports SIGKILL. */
    public static final int STATUS = 137;
    private static final String EVENT;
    private static final int AT;
    private static final AtomicInteger SEEN = new AtomicInteger();

    static {
        String spec = System.getProperty("cohort.test.crashAt", "");
        int colon = spec.lastIndexOf(':');
        String event = "";
        int at = 0;
        if (colon > 0) {
            try {
                at = Integer.parseInt(spec.substring(colon + 1));
                event = spec.substring(0, colon);
            } catch (NumberFormatException e) {
                event = "";
            }
        }
        EVENT = event;
        AT = at;
    }

    private CrashPoints() {
    }

    /** Marks one occurrence of {@code event}; halts the process when it is the configured one. */
    public static void hit(String event) {
        if (!EVENT.isEmpty() && EVENT.equals(event) && SEEN.incrementAndGet() == AT) {
            Runtime.getRuntime().halt(STATUS);
        }
    }
}
